package resolve

// clusters is union–find with the checks that keep two different people
// apart: a merge is refused when the two clusters hold records with
// different birth dates (beyond a day/month swap) or different id numbers,
// or when an analyst said two of their records are not the same person.
// One weak link therefore cannot chain two people together.
type clusters struct {
	parent    []int
	dobs, ids [][]string    // by root
	forbids   map[int][]int // root → roots it must never join (kept on roots)
}

func newClusters(recs []record) *clusters {
	n := len(recs)
	c := &clusters{parent: make([]int, n), dobs: make([][]string, n), ids: make([][]string, n), forbids: map[int][]int{}}
	// A record's own values share two arrays; capacity one makes the
	// first union copy them out rather than write over a neighbour.
	dobs, ids := make([]string, n), make([]string, n)
	for i := range recs {
		c.parent[i] = i
		if recs[i].dob != "" {
			dobs[i] = recs[i].dob
			c.dobs[i] = dobs[i : i+1 : i+1]
		}
		if recs[i].idn != "" {
			ids[i] = recs[i].idn
			c.ids[i] = ids[i : i+1 : i+1]
		}
	}
	return c
}

func (c *clusters) find(i int) int {
	for c.parent[i] != i {
		c.parent[i] = c.parent[c.parent[i]]
		i = c.parent[i]
	}
	return i
}

func (c *clusters) forbid(a, b int) {
	ra, rb := c.find(a), c.find(b)
	c.forbids[ra] = append(c.forbids[ra], rb)
	c.forbids[rb] = append(c.forbids[rb], ra)
}

func (c *clusters) forbidden(ra, rb int) bool {
	for _, x := range c.forbids[ra] {
		if c.find(x) == rb {
			return true
		}
	}
	return false
}

// consistent: every pair of values across the two sets agrees (dates may
// differ by a swap of day and month).
func consistent(xs, ys []string, date bool) bool {
	for _, x := range xs {
		for _, y := range ys {
			if x == y {
				continue
			}
			if date && dobLevel(x, y) == 1 || !date && oneEdit(x, y) {
				continue
			}
			return false
		}
	}
	return true
}

// union joins the clusters of a and b unless that would join different
// people; force (an analyst's word) skips the checks but not a forbid.
func (c *clusters) union(a, b int, force bool) bool {
	ra, rb := c.find(a), c.find(b)
	if ra == rb {
		return false
	}
	if c.forbidden(ra, rb) {
		return false
	}
	if !force && (!consistent(c.dobs[ra], c.dobs[rb], true) || !consistent(c.ids[ra], c.ids[rb], false)) {
		return false
	}
	if ra > rb {
		ra, rb = rb, ra
	}
	c.parent[rb] = ra
	c.dobs[ra] = union(c.dobs[ra], c.dobs[rb])
	c.ids[ra] = union(c.ids[ra], c.ids[rb])
	c.dobs[rb], c.ids[rb] = nil, nil
	c.forbids[ra] = append(c.forbids[ra], c.forbids[rb]...)
	delete(c.forbids, rb)
	return true
}

func union(xs, ys []string) []string {
	for _, y := range ys {
		found := false
		for _, x := range xs {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			xs = append(xs, y)
		}
	}
	return xs
}
