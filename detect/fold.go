package detect

import (
	"cmp"
	"slices"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/normalize"
)

// LabelPossibleSamePerson marks a buyer lead that covers several entities
// entity resolution kept apart but that are probably one person.
const LabelPossibleSamePerson = "possible_same_person"

// foldSamePerson joins the buyer leads of entities that are probably one
// person kept apart by entity resolution for want of a shared identifier
// (normalize.SamePersonLikely) and that pay a corridor recipient (or
// suspected ring) in common. Apart, the two leads would take two places in
// the queue and split the evidence; together they make one lead, labelled
// so that the analyst confirms the link (filo entity link) or not. The
// strongest lead keeps its reasons and id.
func (w *world) foldSamePerson(leads []filo.Lead, ringOf map[int32]*ring) []filo.Lead {
	leadOf := map[int32]int{}
	for i, l := range leads {
		leadOf[w.idx[l.EntityIDs[0]]] = i
	}
	payers := map[int32][]int{} // recipient (a ring by its first member) → leads paying it
	for k := range w.txs {
		v := &w.txs[k]
		i, ok := leadOf[v.s]
		if !ok || !v.is(txCorridor) {
			continue
		}
		r := v.r
		if rg := ringOf[r]; rg != nil {
			r = rg.members[0]
		}
		if ps := payers[r]; len(ps) == 0 || ps[len(ps)-1] != i {
			payers[r] = append(ps, i)
		}
	}
	parent := make([]int, len(leads))
	members := map[int][]int{}
	for i := range parent {
		parent[i] = i
		members[i] = []int{i}
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	facts := map[int32][]normalize.Facts{}
	factsOf := func(e int32) []normalize.Facts {
		if fs, ok := facts[e]; ok {
			return fs
		}
		fs := w.facts(e)
		facts[e] = fs
		return fs
	}
	for _, r := range sortedKeys(payers) {
		ps := payers[r]
		slices.Sort(ps)
		ps = slices.Compact(ps)
		for x := range ps {
			for y := x + 1; y < len(ps); y++ {
				ra, rb := find(ps[x]), find(ps[y])
				if ra == rb {
					continue
				}
				// Every pair across the two groups must fit, so that two
				// namesakes never meet through a record with no birth date.
				fits := true
				for _, i := range members[ra] {
					for _, j := range members[rb] {
						ei, ej := w.idx[leads[i].EntityIDs[0]], w.idx[leads[j].EntityIDs[0]]
						fits = fits && normalize.SamePersonLikely(factsOf(ei), factsOf(ej))
					}
				}
				if !fits {
					continue
				}
				// The stronger lead (leads come in no order here) roots the group.
				if leads[rb].Score > leads[ra].Score || leads[rb].Score == leads[ra].Score && rb < ra {
					ra, rb = rb, ra
				}
				parent[rb] = ra
				members[ra] = append(members[ra], members[rb]...)
				delete(members, rb)
			}
		}
	}
	out := leads[:0:0]
	folded := map[int][]int{}
	for i := range leads {
		if r := find(i); r != i {
			folded[r] = append(folded[r], i)
		}
	}
	for i, l := range leads {
		if find(i) != i {
			continue
		}
		if more := folded[i]; len(more) > 0 {
			l.EntityIDs, l.PartyIDs = slices.Clip(l.EntityIDs), slices.Clip(l.PartyIDs)
			for _, j := range more {
				l.EntityIDs = append(l.EntityIDs, leads[j].EntityIDs...)
				l.PartyIDs = append(l.PartyIDs, leads[j].PartyIDs...)
			}
			slices.Sort(l.EntityIDs[1:])
			slices.Sort(l.PartyIDs)
			l.Labels = append(l.Labels, LabelPossibleSamePerson)
		}
		out = append(out, l)
	}
	return out
}

// facts are an entity's records as normalize.SamePersonLikely reads them.
func (w *world) facts(e int32) []normalize.Facts {
	var fs []normalize.Facts
	for _, pi := range w.parties[e] {
		p := &w.in.Case.Parties[pi]
		fs = append(fs, normalize.Facts{Name: w.in.Fields.Name(int(pi), p.FullName), BirthDate: p.BirthDate, IDNumber: p.IDNumber, Country: cmp.Or(p.Country, w.country[e])})
	}
	return fs
}
