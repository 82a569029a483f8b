package resolve

import (
	"cmp"
	"slices"
	"strings"

	"github.com/filoproject/filo"
)

// maxShared: a phone or address shared by more people than this is an
// institution's placeholder or a shelter, not a household.
const maxShared = 12

// related links records of different entities that share a phone number or
// an address (with the country): households and facilitator rings. One
// link per pair of entities, naming every shared basis.
func related(parties []filo.Party, recs []record, ks []keys, uf *clusters) []filo.Link {
	const (
		byAddress = 1 << iota
		byPhone
	)
	// A group is the records sharing a phone or a home (by their ids),
	// in record order. Groups are filed by id, counted first: no map of
	// a million keys.
	type group struct {
		basis int
		key   string   // orders the groups: "address:"… before "phone:"…
		roots [][2]int // a cluster's root and its first record in the group, by root
	}
	// By basis, in the order of byAddress and byPhone.
	idOf := [...]func(i int) int32{
		func(i int) int32 { return recs[i].home },
		func(i int) int32 { return ks[i].phone },
	}
	keyOf := [...]func(i int) string{
		func(i int) string { return recs[i].country + ":" + strings.Join(recs[i].addr, " ") },
		func(i int) string { return recs[i].phone },
	}
	var groups []group
	for b := range idOf {
		start := make([]int32, len(recs)+2)
		for i := range recs {
			if id := idOf[b](i); id != 0 && !recs[i].org {
				start[id+1]++
			}
		}
		for id := 1; id < len(start); id++ {
			start[id] += start[id-1]
		}
		members := make([]int32, start[len(start)-1])
		at := slices.Clone(start)
		for i := range recs {
			if id := idOf[b](i); id != 0 && !recs[i].org {
				members[at[id]] = int32(i)
				at[id]++
			}
		}
		for id := 1; id+1 < len(start); id++ {
			ms := members[start[id]:start[id+1]]
			if len(ms) < 2 {
				continue
			}
			// The clusters present, each by its first record here; more than
			// maxShared is reason enough to stop counting.
			var roots [][2]int
			for _, m := range ms {
				r := uf.find(int(m))
				if !slices.ContainsFunc(roots, func(x [2]int) bool { return x[0] == r }) {
					roots = append(roots, [2]int{r, int(m)})
					if len(roots) > maxShared {
						break
					}
				}
			}
			if len(roots) < 2 || len(roots) > maxShared {
				continue
			}
			slices.SortFunc(roots, func(x, y [2]int) int { return cmp.Compare(x[0], y[0]) })
			groups = append(groups, group{basis: 1 << b, key: keyOf[b](int(ms[0])), roots: roots})
		}
	}
	// The link of two entities is between the records of the first group,
	// in the order of keys, that they share.
	slices.SortFunc(groups, func(x, y group) int {
		if c := cmp.Compare(x.basis, y.basis); c != 0 {
			return c
		}
		return strings.Compare(x.key, y.key)
	})
	type pairKey struct{ a, b int }
	type link struct {
		rep   [2]int
		bases int
	}
	links := map[pairKey]*link{}
	for _, g := range groups {
		rs := g.roots
		for x := 0; x < len(rs); x++ {
			for y := x + 1; y < len(rs); y++ {
				pk := pairKey{rs[x][0], rs[y][0]}
				l := links[pk]
				if l == nil {
					l = &link{rep: [2]int{rs[x][1], rs[y][1]}}
					links[pk] = l
				}
				l.bases |= g.basis
			}
		}
	}
	pks := make([]pairKey, 0, len(links))
	for pk := range links {
		pks = append(pks, pk)
	}
	slices.SortFunc(pks, func(x, y pairKey) int {
		if c := cmp.Compare(x.a, y.a); c != 0 {
			return c
		}
		return cmp.Compare(x.b, y.b)
	})
	out := make([]filo.Link, 0, len(pks))
	for _, pk := range pks {
		l := links[pk]
		var bs []string
		if l.bases&byAddress != 0 {
			bs = append(bs, "address")
		}
		if l.bases&byPhone != 0 {
			bs = append(bs, "phone")
		}
		a, b := l.rep[0], l.rep[1]
		// Sharing a family name too makes a household more likely.
		if sharesToken(&recs[a], &recs[b]) {
			bs = append(bs, "family_name")
		}
		out = append(out, filo.Link{
			A: filo.RecordRef{Type: filo.RecordParty, ID: parties[a].ID}, B: filo.RecordRef{Type: filo.RecordParty, ID: parties[b].ID},
			Kind: filo.LinkRelated, Weight: float64(len(bs)), Basis: strings.Join(bs, "+"), Source: filo.LinkByModel,
		})
	}
	return out
}

func sharesToken(a, b *record) bool {
	for _, x := range a.name.Tokens {
		if len(x) < 3 {
			continue
		}
		for _, y := range b.name.Tokens {
			if x == y {
				return true
			}
		}
	}
	return false
}
