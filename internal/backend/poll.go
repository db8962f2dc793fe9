package backend

import (
	"context"
	"errors"
	"time"

	"github.com/paysdk/rebilly/errs"
)

// Poll calls read until done reports true for what it returns, and returns that. Between
// reads it waits the client's ordinary backoff (RetryWaitMin doubling up to RetryWaitMax,
// with jitter), or longer when an answer said when to come back (RetryAfter of a 429 or
// 503): never more reads than that backoff implies. A read that fails transiently (the
// network, a 5xx, a 429, an answer that could not be used) is waited out like a result that
// is not done yet; any other failure ends the poll with that error. When ctx ends first,
// Poll returns the last value read (nil if none) and an error wrapping ctx's error.
func Poll[T any](ctx context.Context, b *Backend, read func(context.Context) (*T, error), done func(*T) bool) (*T, error) {
	var last *T
	for n := 0; ; n++ {
		v, err := read(ctx)
		switch {
		case err == nil:
			last = v
			if done(v) {
				return v, nil
			}
		case ctx.Err() != nil:
			return last, ctx.Err()
		case !transient(err):
			return last, err
		}
		if b == nil {
			return last, errors.New("rebilly: poll: the service was not created by rebilly.NewClient")
		}
		d := backoff(n, b.cfg.RetryWaitMin, b.cfg.RetryWaitMax, b.cfg.Jitter)
		var apiErr *errs.APIError
		if errors.As(err, &apiErr) && !apiErr.RetryAfter.IsZero() {
			d = max(d, apiErr.RetryAfter.Sub(b.cfg.Now()))
		}
		if err := sleep(ctx, b.cfg.Wait(d)); err != nil {
			return last, err
		}
	}
}

// transient reports whether a read's failure may pass if the read is repeated later.
func transient(err error) bool {
	var apiErr *errs.APIError
	switch {
	case errors.As(err, &apiErr):
		return apiErr.StatusCode == 429 || apiErr.StatusCode >= 500
	case errors.Is(err, errs.ErrMalformedResponse):
		return true
	}
	var notApplied *errs.NotAppliedError
	return errors.As(err, &notApplied) && notApplied.Attempts > 0
}

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// WaitFor is Poll for a service's WaitForResult: read is the service's Get of the resource
// with the given id, done says whether what it read is final, and state describes it in a
// few words for the error. A wait that stops first (a nil or ended ctx, a read that failed
// for good) is an *errs.NotFinalError naming resource and id, with the last value read.
func WaitFor[T any](ctx context.Context, b *Backend, resource, id string, read func(context.Context, string) (*T, error), done func(*T) bool, state func(*T) string) (*T, error) {
	if ctx == nil {
		return nil, &errs.NotAppliedError{Op: "WaitForResult", Err: errors.New("nil context")}
	}
	v, err := Poll(ctx, b, func(ctx context.Context) (*T, error) { return read(ctx, id) }, done)
	if err != nil {
		e := &errs.NotFinalError[T]{Resource: resource, ID: id, Last: v, Err: err}
		if v != nil {
			e.LastState = state(v)
		}
		return nil, e
	}
	return v, nil
}
