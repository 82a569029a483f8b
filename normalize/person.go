package normalize

// SameTokenMin is how close every token of the shorter of two names must
// come to its own token of the other (Jaro–Winkler) for NamesAgree: a mean
// over tokens would let "Matthew Smith" pass for "Matthew Mitchell".
const SameTokenMin = 0.9

// NamesAgree says whether every token of the shorter name has its own
// partner in the other: equal, an initial of it, or a close spelling.
// Extra tokens in the longer name (a middle name) are allowed.
func NamesAgree(a, b Name) bool {
	agree := true
	short, _ := pairTokens(a, b, 1, func(best float64) bool { agree = best >= SameTokenMin; return agree })
	return short > 0 && agree
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
