package fx

import (
	"math"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestUSD(t *testing.T) {
	tab := NewTable(map[string][]Rate{
		"EUR": {{Day: Day(day("2025-03-01")), USDRate: 1.10}, {Day: Day(day("2025-01-01")), USDRate: 1.00}},
	})
	tests := []struct {
		name     string
		amount   float64
		currency string
		at       time.Time
		want     float64
		ok       bool
	}{
		{"a rate given for the very day is used", 10, "EUR", day("2025-03-01"), 11, true},
		{"the latest rate before the day is used", 10, "EUR", day("2025-02-15"), 10, true},
		{"before any given rate the reference applies", 10, "EUR", day("2024-12-31"), 11.7, true},
		{"a currency without given rates uses the reference", 1000, "PHP", day("2025-02-15"), 17.7, true},
		{"USD is itself", 15, "USD", day("2025-02-15"), 15, true},
		{"an unknown currency is not converted", 10, "XTS", day("2025-02-15"), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tab.USD(tt.amount, tt.currency, tt.at)
			if ok != tt.ok || math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("USD(%v %s) = %v, %v; want %v, %v", tt.amount, tt.currency, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestDayUsesTheLocalBusinessDay(t *testing.T) {
	late := time.Date(2025, 3, 1, 23, 30, 0, 0, time.FixedZone("", -5*3600)) // already 2 March in UTC
	if Day(late) != Day(day("2025-03-01")) {
		t.Errorf("Day(%v) is not 2025-03-01", late)
	}
}

func BenchmarkUSD(b *testing.B) {
	rs := make([]Rate, 730)
	for i := range rs {
		rs[i] = Rate{Day: Day(day("2024-01-01")) + int32(i), USDRate: 1 + float64(i)/1e4}
	}
	tab := NewTable(map[string][]Rate{"EUR": rs})
	at := day("2025-05-05")
	b.ReportAllocs()
	for b.Loop() {
		tab.USD(15, "EUR", at)
	}
}
