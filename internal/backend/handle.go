package backend

// Handle is what every service holds. Each service type is defined as Handle (type Service
// backend.Handle), so that the root package builds one by converting a *Handle, and no code
// outside this module can build one at all: it cannot name this package.
type Handle struct{ b *Backend }

// NewHandle returns a Handle sending through b.
func NewHandle(b *Backend) *Handle { return &Handle{b: b} }

// Backend returns the handle's backend, nil for a nil or zero Handle (a service that
// rebilly.NewClient did not build), which Send turns into an error.
func (h *Handle) Backend() *Backend {
	if h == nil {
		return nil
	}
	return h.b
}
