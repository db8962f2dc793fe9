package rebilly

import (
	"context"
	"fmt"
	"testing"

	"github.com/paysdk/rebilly/payoutrequests"
	"github.com/paysdk/rebilly/payouts"
)

// TestZeroValuesDoNotPanic calls every exported method on values NewClient did not build, and
// with a nil context: each must return an error, not panic.
func TestZeroValuesDoNotPanic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var nilPR *payoutrequests.Service
	var nilPO *payouts.Service
	calls := map[string]func() error{
		"nil payout requests Create": func() error { _, err := nilPR.Create(ctx, payoutRequest()); return err },
		"nil payout requests Upsert": func() error { _, err := nilPR.Upsert(ctx, "x", payoutRequestUpsert()); return err },
		"nil payout requests Get":    func() error { _, err := nilPR.Get(ctx, "x"); return err },
		"zero payout requests Get":   func() error { _, err := (&payoutrequests.Service{}).Get(ctx, "x"); return err },
		"nil payout requests List":   func() error { _, err := nilPR.List(ctx, payoutrequests.ListParams{}); return err },
		"nil payout requests Cancel": func() error { _, err := nilPR.Cancel(ctx, "x", payoutrequests.CancelParams{}); return err },
		"nil payout requests All": func() error {
			for _, err := range nilPR.All(ctx, payoutrequests.ListParams{}) {
				return err
			}
			return nil
		},
		"All with a nil context": func() error {
			c, _, _ := setup(t)
			//lint:ignore SA1012 the test is about a nil context
			for _, err := range c.PayoutRequests.All(nil, payoutrequests.ListParams{}) {
				return err
			}
			return nil
		},
		"nil payouts Create":  func() error { _, err := nilPO.Create(ctx, payout()); return err },
		"zero payouts Create": func() error { _, err := (&payouts.Service{}).Create(ctx, payout()); return err },
		"nil context": func() error {
			c, _, _ := setup(t)
			//lint:ignore SA1012 the test is about a nil context
			_, err := c.Payouts.Create(nil, payout())
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			if err := call(); err == nil {
				t.Fatal("no error")
			}
		})
	}
	var c *Client
	_ = fmt.Sprintf("%v %+v %#v %s", c, c, c, c)
	_ = c.LogValue()
}
