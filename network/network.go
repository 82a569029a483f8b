// Package network is the payment graph over resolved entities and the
// spread of risk along it. Entities are dense integers and edges live in
// compressed arrays, so a graph of millions of payments fits in memory
// and one propagation is a few passes over arrays.
package network

import "sort"

// Graph is an undirected weighted graph in compressed sparse row form.
type Graph struct {
	N      int
	start  []int32 // start[v]..start[v+1] index adj and w
	adj    []int32
	w      []float64
	degree []float64 // weighted degree
}

// Edge is one aggregated relation between two entities.
type Edge struct {
	A, B   int32
	Weight float64
}

// New builds a graph of n nodes from edges (both directions are added;
// parallel edges add up).
func New(n int, edges []Edge) *Graph {
	type half struct {
		to int32
		w  float64
	}
	lists := make([][]half, n)
	for _, e := range edges {
		if e.A == e.B {
			continue
		}
		lists[e.A] = append(lists[e.A], half{e.B, e.Weight})
		lists[e.B] = append(lists[e.B], half{e.A, e.Weight})
	}
	g := &Graph{N: n, start: make([]int32, n+1), degree: make([]float64, n)}
	for v, l := range lists {
		sort.Slice(l, func(i, j int) bool { return l[i].to < l[j].to })
		g.start[v] = int32(len(g.adj))
		for i := 0; i < len(l); i++ {
			if len(g.adj) > int(g.start[v]) && g.adj[len(g.adj)-1] == l[i].to {
				g.w[len(g.w)-1] += l[i].w
			} else {
				g.adj = append(g.adj, l[i].to)
				g.w = append(g.w, l[i].w)
			}
			g.degree[v] += l[i].w
		}
	}
	g.start[n] = int32(len(g.adj))
	return g
}

// Neighbours calls fn for each neighbour of v with the edge weight.
func (g *Graph) Neighbours(v int, fn func(u int, w float64)) {
	for i := g.start[v]; i < g.start[v+1]; i++ {
		fn(int(g.adj[i]), g.w[i])
	}
}

// PersonalizedPageRank spreads risk from seeds: the stationary distribution
// of a walk that follows payments (in proportion to their weight) and, with
// probability alpha at each step, jumps back to a seed (in proportion to the
// seed's risk). Mass stays near the seeds and flows further along heavier
// payment relations: counterparties of a watchlisted ring and, one step
// further, the rings those counterparties also pay. Power iteration;
// dangling nodes return their mass to the seeds.
func (g *Graph) PersonalizedPageRank(seeds map[int]float64, alpha float64, iterations int) []float64 {
	p := make([]float64, g.N)
	// Summed in node order, not map order: floating-point addition is not
	// associative, and the same case must give the same scores to the bit.
	restart := make([]float64, g.N)
	for v, s := range seeds {
		restart[v] = s
	}
	total := 0.0
	for _, s := range restart {
		total += s
	}
	if total == 0 {
		return p
	}
	for v := range restart {
		restart[v] /= total
	}
	copy(p, restart)
	next := make([]float64, g.N)
	for it := 0; it < iterations; it++ {
		for i := range next {
			next[i] = alpha * restart[i]
		}
		dangling := 0.0
		for v := 0; v < g.N; v++ {
			if p[v] == 0 {
				continue
			}
			if g.degree[v] == 0 {
				dangling += p[v]
				continue
			}
			share := (1 - alpha) * p[v] / g.degree[v]
			for i := g.start[v]; i < g.start[v+1]; i++ {
				next[g.adj[i]] += share * g.w[i]
			}
		}
		if dangling > 0 {
			for i := range next {
				next[i] += (1 - alpha) * dangling * restart[i]
			}
		}
		p, next = next, p
	}
	return p
}
