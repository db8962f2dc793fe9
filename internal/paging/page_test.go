package paging_test

import (
	"testing"

	"github.com/paysdk/rebilly/allocations"
	"github.com/paysdk/rebilly/internal/paging"
	"github.com/paysdk/rebilly/payoutrequests"
)

// TestServicesShareTheLimits: the services document their limits as numbers; they must be
// the ones this package pages with.
func TestServicesShareTheLimits(t *testing.T) {
	for _, got := range [][3]int{
		{payoutrequests.MaxLimit, payoutrequests.MaxOffset, payoutrequests.DefaultAllLimit},
		{allocations.MaxLimit, allocations.MaxOffset, allocations.DefaultAllLimit},
	} {
		if want := [3]int{paging.MaxLimit, paging.MaxOffset, paging.DefaultAllLimit}; got != want {
			t.Errorf("limits %v, want %v", got, want)
		}
	}
}

func TestNext(t *testing.T) {
	tests := []struct {
		name                    string
		offset, n, total, limit int
		want                    int // -1: none
	}{
		{"middle", 100, 100, 250, 100, 200},
		{"last page by total", 200, 50, 250, 100, -1},
		{"exactly the total", 200, 50, 250, 50, -1},
		{"no total, full page", 10, 5, -1, 5, 15},
		{"no total, short page", 10, 4, -1, 5, -1},
		{"no total, no limit", 0, 3, -1, -1, 3},
		{"empty", 0, 0, -1, -1, -1},
		{"up to the cap", 900, 100, 5000, 100, 1000},
		{"past the cap", 1000, 100, 5000, 100, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := paging.Next(func(offset int) int { return offset }, tt.offset, tt.n, tt.total, tt.limit)
			if tt.want < 0 && (ok || got != 0) || tt.want >= 0 && (!ok || got != tt.want) {
				t.Errorf("Next = %d, %v; want %d", got, ok, tt.want)
			}
		})
	}
}
