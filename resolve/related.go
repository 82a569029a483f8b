package resolve

import (
	"sort"
	"strings"

	"github.com/filoproject/filo"
)

// maxShared: a phone or address shared by more people than this is an
// institution's placeholder or a shelter, not a household.
const maxShared = 12

// related links records of different entities that share a phone number or
// an address (with the country): households and facilitator rings. One
// link per pair of entities, naming every shared basis.
func related(parties []filo.Party, recs []record, uf *clusters) []filo.Link {
	type group struct {
		basis   string
		members []int
	}
	byKey := map[string]*group{}
	for i := range recs {
		if recs[i].org {
			continue
		}
		if recs[i].phone != "" {
			k := "phone:" + recs[i].phone
			if byKey[k] == nil {
				byKey[k] = &group{basis: "phone"}
			}
			byKey[k].members = append(byKey[k].members, i)
		}
		if len(recs[i].addr) >= 2 {
			k := "address:" + recs[i].country + ":" + strings.Join(recs[i].addr, " ")
			if byKey[k] == nil {
				byKey[k] = &group{basis: "address"}
			}
			byKey[k].members = append(byKey[k].members, i)
		}
	}
	type pairKey struct{ a, b int }
	bases := map[pairKey]map[string]bool{}
	rep := map[pairKey][2]int{}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		g := byKey[k]
		roots := map[int]int{} // root → a member record
		for _, m := range g.members {
			r := uf.find(m)
			if _, ok := roots[r]; !ok {
				roots[r] = m
			}
		}
		if len(roots) < 2 || len(roots) > maxShared {
			continue
		}
		rs := make([]int, 0, len(roots))
		for r := range roots {
			rs = append(rs, r)
		}
		sort.Ints(rs)
		for x := 0; x < len(rs); x++ {
			for y := x + 1; y < len(rs); y++ {
				pk := pairKey{rs[x], rs[y]}
				if bases[pk] == nil {
					bases[pk] = map[string]bool{}
					rep[pk] = [2]int{roots[rs[x]], roots[rs[y]]}
				}
				bases[pk][g.basis] = true
			}
		}
	}
	pks := make([]pairKey, 0, len(bases))
	for pk := range bases {
		pks = append(pks, pk)
	}
	sort.Slice(pks, func(i, j int) bool {
		if pks[i].a != pks[j].a {
			return pks[i].a < pks[j].a
		}
		return pks[i].b < pks[j].b
	})
	out := make([]filo.Link, 0, len(pks))
	for _, pk := range pks {
		var bs []string
		for b := range bases[pk] {
			bs = append(bs, b)
		}
		sort.Strings(bs)
		a, b := rep[pk][0], rep[pk][1]
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
