package network

import "testing"

// A path 0-1-2-3 and a separate pair 4-5: risk seeded at 0 decays along the
// path and never reaches the other component.
func TestPersonalizedPageRankStaysNearItsSeeds(t *testing.T) {
	g := New(6, []Edge{{0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {4, 5, 1}})
	p := g.PersonalizedPageRank(map[int]float64{0: 1}, 0.3, 50)
	if !(p[0] > p[1] && p[1] > p[2] && p[2] > p[3]) {
		t.Errorf("risk does not decay along the path: %v", p)
	}
	if p[4] != 0 || p[5] != 0 {
		t.Errorf("risk leaked into another component: %v", p)
	}
	sum := 0.0
	for _, x := range p {
		sum += x
	}
	if sum < 0.999 || sum > 1.001 {
		t.Errorf("mass %v, want 1", sum)
	}
}

func TestHeavierRelationsCarryMoreRisk(t *testing.T) {
	g := New(3, []Edge{{0, 1, 10}, {0, 2, 1}})
	p := g.PersonalizedPageRank(map[int]float64{0: 1}, 0.3, 50)
	if p[1] <= p[2] {
		t.Errorf("the heavier counterparty got less risk: %v", p)
	}
}

func TestParallelEdgesAddUp(t *testing.T) {
	g := New(2, []Edge{{0, 1, 1}, {1, 0, 2}})
	var w float64
	g.Neighbours(0, func(_ int, x float64) { w += x })
	if w != 3 {
		t.Errorf("weight %v, want 3", w)
	}
}

func BenchmarkPageRank(b *testing.B) {
	n := 1000000
	edges := make([]Edge, 0, 3*n)
	for i := 0; i < n; i++ {
		edges = append(edges, Edge{int32(i), int32((i*7919 + 1) % n), 1}, Edge{int32(i), int32((i*104729 + 3) % n), 2})
	}
	g := New(n, edges)
	seeds := map[int]float64{1: 1, 500: 1}
	b.ReportAllocs()
	for b.Loop() {
		g.PersonalizedPageRank(seeds, 0.3, 30)
	}
}

// TestTheSameSeedsGiveTheSameScoresToTheBit: seeds come in a map, whose
// order changes from run to run; the scores must not.
func TestTheSameSeedsGiveTheSameScoresToTheBit(t *testing.T) {
	const n = 200
	var edges []Edge
	for i := int32(0); i < n-1; i++ {
		edges = append(edges, Edge{i, i + 1, float64(i%7) + 0.1})
	}
	g := New(n, edges)
	seeds := map[int]float64{}
	for i := 0; i < n; i += 3 {
		seeds[i] = 1 / float64(i+3) * 1e3
	}
	first := g.PersonalizedPageRank(seeds, 0.3, 20)
	for run := 0; run < 30; run++ {
		again := g.PersonalizedPageRank(seeds, 0.3, 20)
		for v := range first {
			if again[v] != first[v] {
				t.Fatalf("run %d: node %d scored %v, then %v", run, v, first[v], again[v])
			}
		}
	}
}
