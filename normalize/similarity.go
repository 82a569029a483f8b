package normalize

import "cmp"

// JaroWinkler is the Jaro–Winkler similarity of two strings, in [0,1].
func JaroWinkler(a, b string) float64 {
	if a == b {
		if a == "" {
			return 0
		}
		return 1
	}
	// Names are mostly ASCII after folding: compare bytes copied to the
	// stack rather than converting both strings to runes on the heap, which
	// was a third of entity resolution's comparison time.
	if len(a) <= 64 && len(b) <= 64 && isASCII(a) && isASCII(b) {
		var ba, bb [64]byte
		return jaroWinkler(ba[:copy(ba[:], a)], bb[:copy(bb[:], b)])
	}
	return jaroWinkler([]rune(a), []rune(b))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func jaroWinkler[E byte | rune](ra, rb []E) float64 {
	la, lb := len(ra), len(rb)
	if la == 0 || lb == 0 {
		return 0
	}
	window := max(la, lb)/2 - 1
	if window < 0 {
		window = 0
	}
	var ma, mb [64]bool
	if la > 64 || lb > 64 {
		ra, rb = ra[:min(la, 64)], rb[:min(lb, 64)]
		la, lb = len(ra), len(rb)
	}
	matches := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-window), min(lb-1, i+window)
		for j := lo; j <= hi; j++ {
			if !mb[j] && ra[i] == rb[j] {
				ma[i], mb[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	t, k := 0, 0
	for i := 0; i < la; i++ {
		if !ma[i] {
			continue
		}
		for !mb[k] {
			k++
		}
		if ra[i] != rb[k] {
			t++
		}
		k++
	}
	m := float64(matches)
	jaro := (m/float64(la) + m/float64(lb) + (m-float64(t)/2)/m) / 3
	prefix := 0
	for i := 0; i < min(4, min(la, lb)) && ra[i] == rb[i]; i++ {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}

// TokenSimilarity compares two names as sets of tokens, whatever their
// order: each token of the shorter name is matched to its best partner in
// the other (an initial matches a token it begins), and the mean is
// returned. "Nguyen Van Hung" and "Hung Nguyen Van" score 1.
func TokenSimilarity(a, b Name) float64 {
	total := 0.0
	short, long := pairTokens(a, b, 0.85, func(best float64) bool { total += best; return true })
	if short == 0 {
		return 0
	}
	// Extra tokens in the longer name (a middle name) cost a little.
	return total / float64(short) * (1 - 0.04*float64(long-short))
}

// pairTokens matches each token of the shorter of two names, in order, to
// its own best partner among the unused tokens of the other (an initial
// scores initial against a token it begins, equal tokens 1, others their
// Jaro–Winkler similarity) and hands each best score to each, which stops
// the walk by returning false. It returns the token counts of the shorter
// and the longer name, 0 and 0 when either has none.
func pairTokens(a, b Name, initial float64, each func(best float64) bool) (short, long int) {
	x, y := a.Tokens, b.Tokens
	if len(x) == 0 || len(y) == 0 {
		return 0, 0
	}
	if len(x) > len(y) {
		x, y = y, x
	}
	// Names have few tokens: the marks live on the stack, so that the
	// millions of comparisons of a resolution allocate nothing.
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
			var s float64
			switch {
			case t == u:
				s = 1
			case len(t) == 1 && u[0] == t[0], len(u) == 1 && t[0] == u[0]:
				s = initial
			default:
				s = JaroWinkler(t, u)
			}
			if s > best {
				best, bj = s, j
			}
		}
		if bj >= 0 {
			used[bj] = true
		}
		if !each(best) {
			break
		}
	}
	return len(x), len(y)
}

// Phonetic is a coarse sound key of a folded token (consonant classes in
// the manner of Soundex, vowels dropped after the first letter), so that
// Reyes/Reies and Nguyen/Nguyin share a key.
func Phonetic(t string) string {
	if t == "" {
		return ""
	}
	code := func(r byte) byte {
		switch r {
		case 'b', 'f', 'p', 'v', 'w':
			return '1'
		case 'c', 'g', 'j', 'k', 'q', 's', 'x', 'z':
			return '2'
		case 'd', 't':
			return '3'
		case 'l':
			return '4'
		case 'm', 'n':
			return '5'
		case 'r':
			return '6'
		}
		return 0
	}
	out := []byte{t[0]}
	var last byte = code(t[0])
	for i := 1; i < len(t) && len(out) < 5; i++ {
		c := code(t[i])
		if c != 0 && c != last {
			out = append(out, c)
		}
		if t[i] != 'h' {
			last = c
		}
	}
	return string(out)
}

// Jaccard is the size of the intersection over the size of the union of two
// sorted sets (token lists, sender lists).
func Jaccard[T cmp.Ordered](a, b []T) float64 {
	i, j, inter := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}
