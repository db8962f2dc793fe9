package errs

import "fmt"

// NotFinalError says a wait for a resource to reach a final state stopped first: its context
// ended, or a read failed for good. Waiting changes nothing, so its outcome is NotApplied:
// the resource is whatever Last (or a later read) says. It matches ErrNotApplied and unwraps
// to the cause (context.DeadlineExceeded, say).
type NotFinalError[T any] struct {
	// Resource names what was waited for, such as "payout" or "allocation".
	Resource string
	// ID is the id of the resource waited for.
	ID string
	// Last is the last state read, nil when no read succeeded.
	Last *T
	// LastState describes Last in a few words, such as `result "unknown", status "timeout"`.
	LastState string
	// Err is why the wait stopped.
	Err error
}

// Error says what is not final yet, and its last known state.
func (e *NotFinalError[T]) Error() string {
	if e.LastState == "" {
		return fmt.Sprintf("rebilly: %s %s: not final yet: %v", e.Resource, e.ID, e.Err)
	}
	return fmt.Sprintf("rebilly: %s %s: not final yet (last seen: %s): %v", e.Resource, e.ID, e.LastState, e.Err)
}

// Unwrap returns why the wait stopped.
func (e *NotFinalError[T]) Unwrap() error { return e.Err }

// Outcome returns NotApplied: waiting changes nothing.
func (e *NotFinalError[T]) Outcome() Outcome { return NotApplied }

// Is matches ErrNotApplied.
func (e *NotFinalError[T]) Is(target error) bool { return isClass(target, NotApplied) }
