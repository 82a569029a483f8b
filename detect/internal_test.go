package detect

import (
	"math"
	"reflect"
	"slices"
	"sync/atomic"
	"testing"
)

func TestGroupBy(t *testing.T) {
	tests := []struct {
		name string
		n    int
		keys []int32 // key of each index; -1 leaves it out
		want [][]int32
	}{
		{"empty", 2, nil, [][]int32{{}, {}}},
		{"no keys", 0, []int32{-1, -1}, [][]int32{}},
		{"ascending within a key", 3, []int32{2, 0, 2, -1, 0, 2}, [][]int32{{1, 4}, {}, {0, 2, 5}}},
		{"all left out", 1, []int32{-1, -1}, [][]int32{{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := groupBy(tt.n, len(tt.keys), func(i int) int32 { return tt.keys[i] })
			got := make([][]int32, tt.n)
			for k := range tt.n {
				got[k] = append([]int32{}, c.of(k)...)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGroupDistinct(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		emits [][]int32 // keys each item emits, with repeats
		vals  []int32
		want  [][]int32
	}{
		{"empty", 2, nil, nil, [][]int32{{}, {}}},
		{"repeats listed once", 2, [][]int32{{0, 0, 1}, {1}, {1, 1}}, []int32{7, 8, 9}, [][]int32{{7}, {7, 8, 9}}},
		{"in item order", 1, [][]int32{{0}, {}, {0}}, []int32{3, 1, 2}, [][]int32{{3, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := groupDistinct(tt.n, len(tt.emits), func(i int, emit func(int32)) {
				for _, k := range tt.emits[i] {
					emit(k)
				}
			}, func(i int) int32 { return tt.vals[i] })
			got := make([][]int32, tt.n)
			for k := range tt.n {
				got[k] = append([]int32{}, c.of(k)...)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCSRListsDoNotShareOnAppend(t *testing.T) {
	c := groupBy(2, 4, func(i int) int32 { return int32(i / 2) })
	_ = append(c.of(0), 99)
	if got := c.of(1); !slices.Equal(got, []int32{2, 3}) {
		t.Errorf("appending to list 0 changed list 1: %v", got)
	}
}

func TestMedianInPlace(t *testing.T) {
	tests := []struct {
		xs   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{5}, 5},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{2, 2, 9, 2}, 2},
	}
	for _, tt := range tests {
		if got := medianInPlace(slices.Clone(tt.xs)); got != tt.want {
			t.Errorf("median of %v = %v, want %v", tt.xs, got, tt.want)
		}
	}
}

// spearman is the textbook rank correlation, for trend to be checked
// against.
func spearman(x, y []float64) float64 {
	rank := func(v []float64) []float64 {
		r := make([]float64, len(v))
		for i := range v {
			less, equal := 0, 0
			for j := range v {
				if v[j] < v[i] {
					less++
				} else if v[j] == v[i] {
					equal++
				}
			}
			r[i] = float64(less) + float64(equal-1)/2
		}
		return r
	}
	rx, ry := rank(x), rank(y)
	m := float64(len(x)-1) / 2
	var sxy, sxx, syy float64
	for i := range rx {
		sxy += (rx[i] - m) * (ry[i] - m)
		sxx += (rx[i] - m) * (rx[i] - m)
		syy += (ry[i] - m) * (ry[i] - m)
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

func TestTrend(t *testing.T) {
	tests := []struct {
		name string
		ys   []float64
		want float64 // NaN: as spearman against the order
	}{
		{"too few", []float64{1, 2}, 0},
		{"rising", []float64{1, 2, 3, 4}, 1},
		{"falling", []float64{9, 7, 5, 3, 1}, -1},
		{"flat", []float64{2, 2, 2}, 0},
		{"ties", []float64{1, 3, 3, 2, 5, 5, 4}, math.NaN()},
		{"noisy", []float64{10, 30, 20, 50, 40, 70, 60}, math.NaN()},
	}
	sc := new(scratch)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if math.IsNaN(want) {
				idx := make([]float64, len(tt.ys))
				for i := range idx {
					idx[i] = float64(i)
				}
				want = spearman(idx, tt.ys)
			}
			if got := sc.trend(tt.ys); math.Abs(got-want) > 1e-12 {
				t.Errorf("trend %v = %v, want %v", tt.ys, got, want)
			}
		})
	}
}

func TestInParallelCoversEveryIndexOnce(t *testing.T) {
	for _, tt := range []struct{ n, chunk int }{{0, 4}, {1, 4}, {7, 3}, {100, 1}, {1000, 64}} {
		seen := make([]int32, tt.n)
		inParallel(tt.n, tt.chunk, func() *int { return new(int) }, func(_ *int, lo, hi int) {
			if lo%tt.chunk != 0 || hi-lo > tt.chunk {
				t.Errorf("n %d chunk %d: range [%d, %d)", tt.n, tt.chunk, lo, hi)
			}
			for i := lo; i < hi; i++ {
				atomic.AddInt32(&seen[i], 1)
			}
		})
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("n %d chunk %d: index %d done %d times", tt.n, tt.chunk, i, c)
			}
		}
	}
}
