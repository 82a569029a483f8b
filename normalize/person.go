package normalize

// SameTokenMin is how close every token of the shorter of two names must
// come to its own token of the other (Jaro–Winkler) for NamesAgree: a mean
// over tokens would let "Matthew Smith" pass for "Matthew Mitchell".
const SameTokenMin = 0.9

// NamesAgree says whether every token of the shorter name has its own
// partner in the other: equal, an initial of it, or a close spelling.
// Extra tokens in the longer name (a middle name) are allowed.
func NamesAgree(a, b Name) bool {
	x, y := a.Tokens, b.Tokens
	if len(x) == 0 || len(y) == 0 {
		return false
	}
	if len(x) > len(y) {
		x, y = y, x
	}
	var buf [16]bool
	used := buf[:0]
	if len(y) <= len(buf) {
		used = buf[:len(y)]
	} else {
		used = make([]bool, len(y))
	}
	for _, t := range x {
		best, bj := 0.0, -1
		for j, u := range y {
			if used[j] {
				continue
			}
			s := 1.0
			if t != u && !(len(t) == 1 && u[0] == t[0]) && !(len(u) == 1 && t[0] == u[0]) {
				s = JaroWinkler(t, u)
			}
			if s > best {
				best, bj = s, j
			}
		}
		if best < SameTokenMin {
			return false
		}
		used[bj] = true
	}
	return true
}

// Facts are what two records of one person cannot disagree on.
type Facts struct {
	Name      Name
	BirthDate string // YYYY-MM-DD or empty
	IDNumber  string // as written; compared with IDNumber
	Country   string
}

// SamePersonLikely says whether two groups of records (two entities that
// entity resolution kept apart for want of a shared identifier) are
// probably one person: the names of some pair agree token by token, and no
// pair differs in country, birth date or id number. It is the test for
// joining evidence, never for merging records.
func SamePersonLikely(as, bs []Facts) bool {
	named := false
	for i := range as {
		p := &as[i]
		for j := range bs {
			q := &bs[j]
			if p.Country != "" && q.Country != "" && p.Country != q.Country ||
				p.BirthDate != "" && q.BirthDate != "" && p.BirthDate != q.BirthDate ||
				p.IDNumber != "" && q.IDNumber != "" && IDNumber(p.IDNumber) != IDNumber(q.IDNumber) {
				return false
			}
			named = named || NamesAgree(p.Name, q.Name)
		}
	}
	return named
}
