package resolve

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/normalize"
)

// Fields compared, and their levels. Level -1 is "missing on one side":
// it adds nothing for or against.
const (
	fName = iota
	fDOB
	fPhone
	fEmail
	fID
	fAddr
	fCountry
	nFields
)

var fieldNames = [nFields]string{"name", "birth_date", "phone", "email", "id_number", "address", "country"}

// levels per field, weakest first.
var levelNames = [nFields][]string{
	{"different", "double_metaphone", "token_similarity>=0.80", "token_similarity>=0.92", "exact"},
	{"different", "day_month_swapped_or_one_part_differs", "exact"},
	{"different", "exact"},
	{"different", "exact"},
	{"different", "one_character_differs", "exact"},
	{"different", "most_tokens_shared"},
	{"different", "exact"},
}

type vector [nFields]int8

// A code is a vector packed into an integer, a digit per field (its level
// or missing) in mixed radix, the first field the most significant, so
// that codes order as vectors do. Tens of millions of pairs keep their
// vectors as codes, and the few thousand codes index tables rather than
// a map.
type code uint16

// radix[f] is how many digits field f has, missing included; nCodes is
// how many codes there are.
var radix, nCodes = func() ([nFields]int, int) {
	var r [nFields]int
	n := 1
	for f := range r {
		r[f] = len(levelNames[f]) + 1
		n *= r[f]
	}
	return r, n
}()

func (v vector) code() code {
	c := 0
	for f := range v {
		c = c*radix[f] + int(v[f]) + 1
	}
	return code(c)
}

func (c code) vector() vector {
	var v vector
	for f := nFields - 1; f >= 0; f-- {
		v[f] = int8(int(c)%radix[f]) - 1
		c /= code(radix[f])
	}
	return v
}

// Name levels.
const (
	nameDifferent int8 = iota
	namePhonetic
	nameSimilar
	nameClose
	nameExact
)

// nameAgrees: a close name is needed for one person; a loosely similar
// one only with a shared birth date, phone, email or document; a name that
// only sounds alike with the birth date and a shared phone, email or
// document.
func (v vector) nameAgrees() bool {
	strong := v[fPhone] == 1 || v[fEmail] == 1 || v[fID] >= 1
	switch v[fName] {
	case nameExact, nameClose:
		return true
	case nameSimilar:
		return v[fDOB] == 2 || strong
	case namePhonetic:
		return v[fDOB] == 2 && strong
	}
	return false
}

// compare reads the cold records a and b only when their keys cannot tell
// the level: names that differ, document numbers that differ, addresses
// that are not the same tokens.
func compare(ka, kb *keys, a, b *record) vector {
	return compareWith(nil, ka, kb, a, b)
}

// compareWith is compare with names' levels remembered in names, if not
// nil.
func compareWith(names nameLevels, ka, kb *keys, a, b *record) vector {
	var v vector
	switch {
	case ka.name == kb.name && ka.name != 0:
		v[fName] = nameExact
	case names == nil:
		v[fName] = nameLevel(a, b)
	default:
		k := [2]int32{ka.name, kb.name}
		l, ok := names[k]
		if !ok {
			l = nameLevel(a, b)
			names[k] = l
		}
		v[fName] = l
	}
	v[fDOB] = -1
	if ka.hasDOB && kb.hasDOB {
		v[fDOB] = dobLevel10(&ka.dob, &kb.dob)
	}
	v[fPhone] = exactLevel(ka.phone, kb.phone)
	v[fEmail] = exactLevel(ka.email, kb.email)
	switch {
	case ka.idn == 0 || kb.idn == 0:
		v[fID] = -1
	case ka.idn == kb.idn:
		v[fID] = 2
	case mayBeOneEdit(ka, kb) && oneEdit(a.idn, b.idn):
		v[fID] = 1
	}
	v[fAddr] = -1
	if ka.addr != 0 && kb.addr != 0 {
		v[fAddr] = 0
		// Most words in common and the same house numbers: "48 Pine St" and
		// "88 Pine St" are neighbours, not one home. The same tokens pass
		// both tests without reading them, and most pairs fail the first
		// on their keys alone.
		if ka.addr == kb.addr || mayShareMost(ka, kb) && normalize.Jaccard(a.addr, b.addr) >= 0.7 && sameNumbers(a.addr, b.addr) {
			v[fAddr] = 1
		}
	}
	v[fCountry] = exactLevel(ka.country, kb.country)
	return v
}

// nameLevel is the level of two different names.
func nameLevel(a, b *record) int8 {
	s := normalize.TokenSimilarity(a.name, b.name)
	switch {
	case s >= 0.92:
		return nameClose
	case s >= 0.80:
		return nameSimilar
	case soundAlike(a.sounds, b.sounds):
		return namePhonetic
	}
	return nameDifferent
}

// nameLevels remembers the levels of pairs of names by their ids. A
// name's tokens are its key split at the spaces (a token holds none), and
// its sounds are theirs, so the level is the ids'. Pairs of records that
// differ in name repeat the same few pairs of names: in a million records,
// 13 million such pairs had half a million pairs of names.
type nameLevels map[[2]int32]int8

// mayShareMost is false when the addresses' Jaccard similarity is surely
// under 0.7: a token of one whose bit the other lacks is not in the other,
// so each side's tokens under bits the other lacks are outside the
// intersection, and the similarity grows with the intersection.
func mayShareMost(ka, kb *keys) bool {
	most := min(ka.addrLen-int32(bits.OnesCount64(ka.addrBits&^kb.addrBits)), kb.addrLen-int32(bits.OnesCount64(kb.addrBits&^ka.addrBits)))
	return float64(most)/float64(ka.addrLen+kb.addrLen-most) >= 0.7
}

func sameNumbers(a, b []string) bool {
	isNum := func(x string) bool { return x != "" && x[0] >= '0' && x[0] <= '9' }
	// Walk the numeric tokens of both in step, without collecting them:
	// this runs for every compared pair.
	i, j, na, nb := 0, 0, 0, 0
	for {
		for i < len(a) && !isNum(a[i]) {
			i++
		}
		for j < len(b) && !isNum(b[j]) {
			j++
		}
		if i == len(a) || j == len(b) {
			for ; i < len(a); i++ {
				if isNum(a[i]) {
					na++
				}
			}
			for ; j < len(b); j++ {
				if isNum(b[j]) {
					nb++
				}
			}
			// Different counts of numbers differ, unless one side has none.
			return na == nb || na == 0 || nb == 0
		}
		if a[i] != b[j] {
			return false
		}
		i, j = i+1, j+1
		na, nb = na+1, nb+1
	}
}

// mayBeOneEdit is false when the document numbers surely differ by more
// than one edit: one changes the length by one at most, and the set of
// characters by two at most (a substitution) or none (a swap).
func mayBeOneEdit(ka, kb *keys) bool {
	return ka.idnLen-kb.idnLen <= 1 && kb.idnLen-ka.idnLen <= 1 && bits.OnesCount64(ka.idnBits^kb.idnBits) <= 2
}

// oneEdit tells whether a and b differ by one substitution, insertion,
// deletion or swap of neighbours.
func oneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		diff := -1
		for i := 0; i < len(a); i++ {
			if a[i] != b[i] {
				if diff >= 0 {
					// a swap of neighbours
					return diff == i-1 && a[diff] == b[i] && a[i] == b[diff] && a[i+1:] == b[i+1:]
				}
				diff = i
			}
		}
		return true
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	return false
}

func exactLevel(a, b int32) int8 {
	if a == 0 || b == 0 {
		return -1
	}
	if a == b {
		return 1
	}
	return 0
}

func dobLevel(a, b string) int8 {
	if len(a) != 10 || len(b) != 10 {
		return -1
	}
	var x, y [10]byte
	copy(x[:], a)
	copy(y[:], b)
	return dobLevel10(&x, &y)
}

// dobLevel10 compares two birth dates written YYYY-MM-DD.
func dobLevel10(a, b *[10]byte) int8 {
	if *a == *b {
		return 2
	}
	if string(a[0:4]) == string(b[0:4]) && string(a[5:7]) == string(b[8:10]) && string(a[8:10]) == string(b[5:7]) {
		return 1
	}
	same := 0
	for _, r := range [][2]int{{0, 4}, {5, 7}, {8, 10}} {
		if string(a[r[0]:r[1]]) == string(b[r[0]:r[1]]) {
			same++
		}
	}
	if same == 2 {
		return 1
	}
	return 0
}

// Model holds the Fellegi–Sunter parameters: for each field and level, the
// share of true matches (m) and of non-matches (u) at that level, and the
// prior share of matches among compared pairs (Lambda).
type Model struct {
	M, U   [nFields][]float64
	Lambda float64
}

// priorM is what records of one person look like across institutions,
// before the data speaks: names mostly close, birth dates and documents
// mostly equal, phones and addresses changing more often. EM starts from
// it and it weighs as pseudo-counts, so that EM cannot drift into calling
// every pair of namesakes a match (blocked pairs mostly share a name,
// which is what lets unregularised EM collapse).
var priorM = [nFields][]float64{
	{0.02, 0.03, 0.15, 0.30, 0.50},
	{0.04, 0.06, 0.90},
	{0.15, 0.85},
	{0.10, 0.90},
	{0.04, 0.08, 0.88},
	{0.30, 0.70},
	{0.03, 0.97},
}

// priorWeight is the prior's share of the pseudo-counts against the pairs.
const priorWeight = 0.5

func newModel() Model {
	var m Model
	for f := 0; f < nFields; f++ {
		k := len(levelNames[f])
		m.M[f] = append([]float64(nil), priorM[f]...)
		m.U[f] = make([]float64, k)
		for l := 0; l < k; l++ {
			m.U[f][l] = math.Pow(0.1, float64(l))
		}
		normalise(m.U[f])
	}
	m.Lambda = 0.01
	return m
}

func (m *Model) valid() bool {
	for f := 0; f < nFields; f++ {
		if len(m.M[f]) != len(levelNames[f]) || len(m.U[f]) != len(levelNames[f]) {
			return false
		}
	}
	return m.Lambda > 0 && m.Lambda < 1
}

func normalise(xs []float64) {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	for i := range xs {
		xs[i] = math.Max(xs[i]/s, 1e-6)
	}
}

// estimateU takes u from random pairs, which are almost all non-matches.
func (m *Model) estimateU(recs []record, ks []keys, seed uint64) {
	n := len(recs)
	if n < 2 {
		return
	}
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	var counts [nFields][]float64
	for f := range counts {
		counts[f] = make([]float64, len(levelNames[f]))
		for l := range counts[f] {
			counts[f][l] = 0.5 // smoothing
		}
	}
	samples := min(200000, n*(n-1)/2)
	for s := 0; s < samples; s++ {
		a, b := r.IntN(n), r.IntN(n)
		if a == b {
			continue
		}
		v := compare(&ks[a], &ks[b], &recs[a], &recs[b])
		for f := 0; f < nFields; f++ {
			if v[f] >= 0 {
				counts[f][v[f]]++
			}
		}
	}
	for f := 0; f < nFields; f++ {
		seen := 0.0
		for _, c := range counts[f] {
			seen += c - 0.5
		}
		// Too few random pairs carry the field to say how often strangers
		// agree on it: keep the conservative default.
		if seen < 200 {
			continue
		}
		normalise(counts[f])
		m.U[f] = counts[f]
	}
}

// estimateM runs expectation–maximisation over the blocked pairs, u held
// fixed (as Splink does after estimating u from random pairs), from the
// pairs counted by code; it is a maximum a posteriori estimate with
// priorM as a Dirichlet prior.
func (m *Model) estimateM(hist []float64, iterations int) {
	pairs := 0.0
	for _, n := range hist {
		pairs += n
	}
	if pairs == 0 {
		return
	}
	// Pairs fall into a few thousand distinct comparison vectors at most:
	// EM runs over their counts, not over millions of pairs.
	var distinct []code // in the order of vectors
	for c, n := range hist {
		if n > 0 {
			distinct = append(distinct, code(c))
		}
	}
	for it := 0; it < iterations; it++ {
		var counts [nFields][]float64
		pseudo := priorWeight * pairs
		for f := range counts {
			counts[f] = make([]float64, len(levelNames[f]))
			for l := range counts[f] {
				counts[f][l] = pseudo * priorM[f][l]
			}
		}
		total := 0.0
		tab := m.table()
		for _, c := range distinct {
			v, n := c.vector(), hist[c]
			p := prob(tab.weight(v)) * n
			total += p
			for f := 0; f < nFields; f++ {
				if v[f] >= 0 {
					counts[f][v[f]] += p
				}
			}
		}
		for f := 0; f < nFields; f++ {
			normalise(counts[f])
			m.M[f] = counts[f]
		}
		m.Lambda = math.Min(0.2, math.Max(1e-4, total/pairs))
	}
}

// weights is the model as log2 ratios, looked up instead of computed for
// each of millions of pairs.
type weights struct {
	prior float64
	lr    [nFields][]float64
}

func (m *Model) table() *weights {
	t := &weights{prior: math.Log2(m.Lambda / (1 - m.Lambda))}
	for f := 0; f < nFields; f++ {
		t.lr[f] = make([]float64, len(m.M[f]))
		for l := range m.M[f] {
			t.lr[f][l] = math.Log2(m.M[f][l] / m.U[f][l])
		}
	}
	return t
}

func (t *weights) weight(v vector) float64 {
	w := t.prior
	for f := 0; f < nFields; f++ {
		if l := v[f]; l >= 0 {
			w += t.lr[f][l]
		}
	}
	return w
}

// explainer gives each field's share of a pair's weight. A million
// merges in a large case are explained, and their links are kept until the
// scan is saved: the strings that many links hold alike are made once.
type explainer struct {
	m        *Model
	prior    filo.FieldContribution
	adjusted map[adjustedLevel]string
}

type adjustedLevel struct {
	level int8
	adj   float64
}

// explained is how many contributions explain one pair.
const explained = 1 + nFields

func newExplainer(m *Model) *explainer {
	return &explainer{
		m:        m,
		prior:    filo.FieldContribution{Field: "prior", Level: fmt.Sprintf("lambda=%.4f", m.Lambda), Weight: math.Log2(m.Lambda / (1 - m.Lambda))},
		adjusted: map[adjustedLevel]string{},
	}
}

// explain appends to dst the contributions of the pair (a, b) with vector v
// and name-frequency adjustment tfAdj.
func (x *explainer) explain(dst []filo.FieldContribution, v vector, a, b *record, tfAdj float64) []filo.FieldContribution {
	val := func(f int, r *record) string {
		switch f {
		case fName:
			return r.name.Full
		case fDOB:
			return r.dob
		case fPhone:
			return r.phone
		case fEmail:
			return r.email
		case fID:
			return r.idn
		case fCountry:
			return r.country
		default:
			return strings.Join(r.addr, " ")
		}
	}
	dst = append(dst, x.prior)
	for f := 0; f < nFields; f++ {
		c := filo.FieldContribution{Field: fieldNames[f], A: val(f, a)}
		if f == fAddr && slices.Equal(a.addr, b.addr) {
			c.B = c.A // most merged records live at one address
		} else {
			c.B = val(f, b)
		}
		if l := v[f]; l >= 0 {
			c.Level = levelNames[f][l]
			c.Weight = math.Log2(x.m.M[f][l] / x.m.U[f][l])
		} else {
			c.Level = "missing"
		}
		if f == fName && tfAdj != 0 {
			c.Weight += tfAdj
			k := adjustedLevel{v[f], tfAdj}
			level, ok := x.adjusted[k]
			if !ok {
				level = c.Level + fmt.Sprintf(" (name frequency adjustment %+.2f)", tfAdj)
				x.adjusted[k] = level
			}
			c.Level = level
		}
		dst = append(dst, c)
	}
	return dst
}

// nameFrequencies counts each exact name and each token, for the
// term-frequency adjustment.
type frequencies struct {
	names  []int32 // by the name's id in keys: no map of a million names
	tokens map[string]int
	nTok   int
}

func nameFrequencies(recs []record, ks []keys) *frequencies {
	f := &frequencies{names: make([]int32, len(recs)+1), tokens: map[string]int{}}
	for i := range recs {
		f.names[ks[i].name]++
		for _, t := range recs[i].name.Tokens {
			f.tokens[t]++
			f.nTok++
		}
	}
	return f
}

// The most the name-frequency adjustment adds, at the exact and at the
// close level.
const maxTFExact, maxTFClose = 6, 3

// tfAdjust makes agreement on a common name count less than on a rare one:
// at the exact level the u of the name is replaced by the frequency of this
// name (bounded), and at the close level by that of the rarest shared
// token relative to an average token.
func tfAdjust(v vector, a *record, ka *keys, tf *frequencies, n int, m *Model) float64 {
	switch v[fName] {
	case nameExact:
		freq := float64(tf.names[ka.name]) / float64(n)
		if freq <= 0 {
			return 0
		}
		return clamp(math.Log2(m.U[fName][nameExact]/freq), -maxTFExact, maxTFExact)
	case nameClose:
		rare := math.Inf(1)
		for _, t := range a.name.Tokens {
			rare = math.Min(rare, float64(tf.tokens[t]))
		}
		if math.IsInf(rare, 1) || rare == 0 {
			return 0
		}
		avg := float64(tf.nTok) / float64(len(tf.tokens))
		return clamp(math.Log2(avg/rare)/2, -maxTFClose, maxTFClose)
	}
	return 0
}

// soundAlike: every token of the shorter name (two at least) sounds like a
// token of the other by Double Metaphone, primary or alternate code:
// "Kathryn Smith" and "Catherine Schmidt", transliterations that spelling
// similarity misses.
func soundAlike(a, b [][2]string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) < 2 {
		return false
	}
	var buf [16]bool
	used := buf[:0]
	if len(b) <= len(buf) {
		used = buf[:len(b)]
	} else {
		used = make([]bool, len(b))
	}
next:
	for _, x := range a {
		for j, y := range b {
			if !used[j] && x[0] != "" && (x[0] == y[0] || x[0] == y[1] || x[1] == y[0] || (x[1] != "" && x[1] == y[1])) {
				used[j] = true
				continue next
			}
		}
		return false
	}
	return true
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }
