package filo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"
)

func mustParse(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestTextSpansSegments: records whose text fills segment after segment,
// one larger than a segment, come back whole, and their strings read
// before later appends stay as they were.
func TestTextSpansSegments(t *testing.T) {
	big := strings.Repeat("x", textSegment+1)
	var ts Transactions
	var want []Transaction
	var early []string
	for i := range 40 {
		ref := strings.Repeat(string(rune('a'+i%26)), 1<<20-i)
		if i == 17 {
			ref = big
		}
		x := Transaction{ID: fmt.Sprintf("T%d", i), Reference: ref, ControlNumber: "c"}
		ts.Append(x)
		want = append(want, x)
		if i < 3 {
			early = append(early, ts.At(i).Reference)
		}
	}
	if len(ts.text) < 3 {
		t.Fatalf("%d segments for 40 MB of text: the test tests nothing", len(ts.text))
	}
	for i, x := range want {
		if got := ts.At(i); got.ID != x.ID || got.Reference != x.Reference || got.ControlNumber != "c" {
			t.Errorf("transaction %d came back as %s with a reference of %d bytes", i, got.ID, len(got.Reference))
		}
	}
	for i, ref := range early {
		if ref != want[i].Reference {
			t.Errorf("the reference of transaction %d, read early, changed", i)
		}
	}
}

// TestTransactionsGiveBackWhatWasAppended: every field, every kind of time
// and the extra attributes come back as they went in, before and after the
// table is trimmed and appended to again.
func TestTransactionsGiveBackWhatWasAppended(t *testing.T) {
	long := strings.Repeat("für die Schule ", 5000) // longer than a row's lengths hold
	in := []Transaction{
		{},
		{ID: "T1", Time: mustParse(t, "2025-03-01T23:15:00+01:00"), Amount: 15, AmountText: "15.00", Currency: "EUR", AmountUSD: 16.2,
			SenderPartyID: "P1", SenderAccountID: "A1", ReceiverPartyID: "P2", ReceiverAccountID: "A2", SenderCountry: "IT", ReceiverCountry: "PH",
			Channel: ChannelMTO, Institution: "Remitly", Reference: "load", ControlNumber: "482-193-7710",
			Attrs: Attrs{"branch": "Milano 3"}, Prov: Provenance{File: "transactions.csv", Line: 2}},
		{ID: "T2", Time: mustParse(t, "2025-03-01T23:15:00.123456789+05:30"), SenderPartyID: "P2", ReceiverPartyID: "P1", Reference: long,
			Prov: Provenance{File: "transactions.csv", Line: 3}},
		{ID: "T3", Time: mustParse(t, "2025-03-02T00:00:00Z"), SenderPartyID: "P1", ReceiverPartyID: "P3", Currency: "EUR",
			Prov: Provenance{File: "more.csv", Line: 1 << 30}},
		{ID: "T4", Time: time.Unix(0, 0).UTC(), SenderPartyID: "Ñoño", Reference: "ü", Prov: Provenance{File: "transactions.csv", Line: 5}},
		{ID: "T5", Time: mustParse(t, "2025-03-02T00:00:00+00:00"), Prov: Provenance{File: "transactions.csv", Line: 6}},
		{ID: long, AmountText: "1", Reference: long[:longText], ControlNumber: "x", Prov: Provenance{File: "transactions.csv", Line: 7}},
	}
	ts := TransactionsOf(in[:3]...)
	ts.Trim()
	ts.Append(in[3:]...)
	if ts.Len() != len(in) {
		t.Fatalf("Len = %d, want %d", ts.Len(), len(in))
	}
	for i, want := range in {
		got := ts.At(i)
		if !reflect.DeepEqual(got, want) || got.Time != want.Time {
			t.Errorf("transaction %d\n got %#v\nwant %#v", i, got, want)
		}
		if got.Time.Format(time.RFC3339Nano) != want.Time.Format(time.RFC3339Nano) {
			t.Errorf("transaction %d: time %s came back as %s", i, want.Time.Format(time.RFC3339Nano), got.Time.Format(time.RFC3339Nano))
		}
	}
	if !reflect.DeepEqual(ts.Slice(), in) {
		t.Error("Slice differs from what was appended")
	}
	n := 0
	for i, x := range ts.All() {
		if x.ID != in[i].ID {
			t.Errorf("All gave %q at %d, want %q", x.ID, i, in[i].ID)
		}
		n++
	}
	if n != len(in) {
		t.Errorf("All gave %d transactions, want %d", n, len(in))
	}
}

func TestSessionsGiveBackWhatWasAppended(t *testing.T) {
	in := []Session{
		{},
		{Platform: "vm", SessionID: "S1", AccountID: "x1", PeerAccountID: "r1", Kind: SessionVideoCall,
			Start: mustParse(t, "2025-03-01T21:00:00+08:00"), End: mustParse(t, "2025-03-01T21:40:00+08:00"), IP: "100.64.0.1",
			Attrs: Attrs{"device": "phone"}, Prov: Provenance{File: "sessions.csv", Line: 2}},
		{Platform: "vm", SessionID: "S2", AccountID: "x1", Kind: SessionLogin, Start: mustParse(t, "2025-03-01T20:00:00-03:30"),
			Prov: Provenance{File: "sessions.csv", Line: 3}},
	}
	ss := SessionsOf(in[:2]...)
	ss.Trim()
	ss.Append(in[2:]...)
	if got := ss.Slice(); !reflect.DeepEqual(got, in) {
		t.Errorf("sessions\n got %#v\nwant %#v", got, in)
	}
	for i, want := range in {
		if got := ss.At(i); got.Start != want.Start || got.End != want.End {
			t.Errorf("session %d: times %v %v, want %v %v", i, got.Start, got.End, want.Start, want.End)
		}
	}
}

// TestTimesShareTheirZone: ten million times parsed at an offset that is
// not a whole hour each carry a location of their own; the table keeps one.
func TestTimesShareTheirZone(t *testing.T) {
	var ts Transactions
	for range 1000 {
		ts.Append(Transaction{Time: mustParse(t, "2025-03-01T23:15:00+05:30")})
	}
	ts.Append(Transaction{Time: mustParse(t, "2025-03-01T23:15:00Z")}, Transaction{Time: mustParse(t, "2025-03-01T23:15:00-03:30")})
	if len(ts.zones) != 3 {
		t.Errorf("%d zones for three offsets", len(ts.zones))
	}
	if a, b := ts.At(0).Time, ts.At(999).Time; a.Location() != b.Location() || a.Format(time.RFC3339) != "2025-03-01T23:15:00+05:30" {
		t.Errorf("times came back as %s (%p) and %s (%p)", a, a.Location(), b, b.Location())
	}
}

// TestSortsAreStable: the index sort that moves each row once must give
// what a stable sort of the records gives, ties and all.
func TestSortsAreStable(t *testing.T) {
	for _, radix := range []bool{false, true} {
		t.Run(fmt.Sprint("radix=", radix), func(t *testing.T) {
			if radix {
				defer func(n int) { radixFrom = n }(radixFrom)
				radixFrom = 1
			}
			testSortsAreStable(t)
		})
	}
}

func testSortsAreStable(t *testing.T) {
	base := time.Date(2025, 7, 1, 12, 0, 0, 0, time.UTC)
	// Ids the sort's eight-byte prefixes must not misorder: one a prefix of
	// another, a zero byte where a shorter id ends, eight bytes in common.
	ids := []string{"", "a", "b", "ab", "T0.1", "T0.10", "T0.1\x00", "T0.1\x00\x00\x00\x00z", "T0000000", "T00000001y", "T00000001x", "T00000001", "\xff"}
	for _, tc := range []struct {
		name  string
		n     int
		times int // distinct times: few gives many ties
	}{
		{"empty", 0, 1},
		{"one", 1, 1},
		{"many ties", 500, 7},
		{"mostly distinct", 2000, 100000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(tc.n)))
			txs := make([]Transaction, tc.n)
			sess := make([]Session, tc.n)
			for i := range txs {
				// Offsets other than UTC: order is by instant, not by text.
				zone := time.FixedZone("", 3600*(r.IntN(5)-2))
				at := base.Add(time.Duration(r.IntN(tc.times)) * time.Second).In(zone)
				id := ids[r.IntN(len(ids))]
				txs[i] = Transaction{ID: id, Time: at, Prov: Provenance{Line: i}}
				sess[i] = Session{SessionID: id, Start: at, Prov: Provenance{Line: i}}
			}
			ts, ss := TransactionsOf(txs...), SessionsOf(sess...)
			ts.SortByTime()
			ss.SortByStart()
			slices.SortStableFunc(txs, func(a, b Transaction) int {
				if c := a.Time.Compare(b.Time); c != 0 {
					return c
				}
				return strings.Compare(a.ID, b.ID)
			})
			slices.SortStableFunc(sess, func(a, b Session) int { return a.Start.Compare(b.Start) })
			for i, got := range ts.All() {
				if got.Prov.Line != txs[i].Prov.Line {
					t.Fatalf("transactions, position %d: got line %d, want %d", i, got.Prov.Line, txs[i].Prov.Line)
				}
			}
			for i, got := range ss.All() {
				if got.Prov.Line != sess[i].Prov.Line {
					t.Fatalf("sessions, position %d: got line %d, want %d", i, got.Prov.Line, sess[i].Prov.Line)
				}
			}
		})
	}
}

// TestTimeKeysSortAsByComparison: the radix sort of a large table's keys
// must give the order the comparison sort gives: seconds before and after
// 1970, spans of a minute and of millennia, ties in seconds, nanoseconds
// and id prefixes.
func TestTimeKeysSortAsByComparison(t *testing.T) {
	for _, tc := range []struct {
		name     string
		n        int
		from, to int64 // seconds
		nsecs    int32 // distinct nanoseconds: few gives ties
		prefixes uint64
	}{
		{"below the radix size", radixFrom - 1, 1_700_000_000, 1_760_000_000, 1, 3},
		{"a minute", 3 * radixFrom, 1_700_000_000, 1_700_000_060, 3, 4},
		{"two years", 5 * radixFrom, 1_700_000_000, 1_763_000_000, 1, 2},
		{"around 1970", 4 * radixFrom, -86_400, 86_400, 1000, 1 << 40},
		{"zero times and now", 4 * radixFrom, time.Time{}.Unix(), 1_763_000_000, 2, 5},
		{"the whole range", 4 * radixFrom, math.MinInt64, math.MaxInt64, 1, 1},
		{"one second", 2 * radixFrom, 5, 5, 7, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(2, uint64(tc.n)))
			keys := make([]timeKey, tc.n)
			for i := range keys {
				var sec int64
				if tc.from == math.MinInt64 {
					sec = int64(r.Uint64())
				} else {
					sec = tc.from + int64(r.Uint64N(uint64(tc.to-tc.from)+1))
				}
				// Some keys at the ends, so that the span is the whole of it.
				switch r.IntN(50) {
				case 0:
					sec = tc.from
				case 1:
					sec = tc.to
				}
				keys[i] = timeKey{sec: sec, nsec: int32(r.IntN(int(tc.nsecs))), i: int32(i), pre: r.Uint64N(tc.prefixes)}
			}
			want := slices.Clone(keys)
			slices.SortFunc(want, compareTimeKeys)
			sortTimeKeys(keys)
			if !slices.Equal(keys, want) {
				for p := range keys {
					if keys[p] != want[p] {
						t.Fatalf("position %d: got %+v, want %+v", p, keys[p], want[p])
					}
				}
			}
		})
	}
}

// TestRowsHoldNoPointers: the point of the tables is rows the garbage
// collector need not read, and that stay small.
func TestRowsHoldNoPointers(t *testing.T) {
	for _, tc := range []struct {
		row  any
		size uintptr
	}{{txRow{}, 96}, {sessionRow{}, 72}} {
		typ := reflect.TypeOf(tc.row)
		for i := range typ.NumField() {
			if f := typ.Field(i); hasPointers(f.Type) {
				t.Errorf("%s.%s holds pointers", typ.Name(), f.Name)
			}
		}
		if s := typ.Size(); s > tc.size {
			t.Errorf("%s is %d bytes, want at most %d", typ.Name(), s, tc.size)
		}
	}
	if unsafe.Sizeof(stamp{}) != 16 {
		t.Errorf("stamp is %d bytes, want 16", unsafe.Sizeof(stamp{}))
	}
}

func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	case reflect.Array:
		return hasPointers(t.Elem())
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.String, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	}
	return false
}

// TestDictionaryHoldsEachValueOnce: a value repeated over the rows is one
// entry, whether appended before or after a trim.
func TestDictionaryHoldsEachValueOnce(t *testing.T) {
	var ts Transactions
	ts.Append(Transaction{SenderPartyID: "P1"}, Transaction{SenderPartyID: "P1", ReceiverPartyID: "P2"})
	ts.Trim()
	ts.Append(Transaction{SenderPartyID: "P2"}, Transaction{})
	if want := []string{"", "P1", "P2"}; !slices.Equal(ts.dict, want) {
		t.Errorf("dictionary %q, want %q", ts.dict, want)
	}
}

// benchTransactions makes n payments shaped like a synthetic world's: a
// sender's few in a row, parties and accounts repeating, ids unique.
func benchTransactions(n int) []Transaction {
	r := rand.New(rand.NewPCG(7, 7))
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.FixedZone("", 3600))
	out := make([]Transaction, n)
	for i := range out {
		s := i / 5
		out[i] = Transaction{ID: "T" + strconv.Itoa(i), Time: base.Add(time.Duration(r.IntN(1<<25)) * time.Second),
			Amount: 15, AmountText: "15.00", Currency: "EUR", AmountUSD: 16.2,
			SenderPartyID: "P" + strconv.Itoa(s), ReceiverPartyID: "P" + strconv.Itoa(r.IntN(n/3+1)),
			SenderCountry: "IT", ReceiverCountry: "PH", Channel: ChannelMTO, Institution: "Remitly",
			Prov: Provenance{File: "transactions.csv", Line: i + 2}}
	}
	return out
}

// BenchmarkTransactionsAppend: what loading a case pays per payment, and
// what one holds in memory (rows, text and dictionary).
func BenchmarkTransactionsAppend(b *testing.B) {
	xs := benchTransactions(100_000)
	var ts Transactions
	for b.Loop() {
		ts = Transactions{}
		ts.Grow(len(xs))
		ts.Append(xs...)
		ts.Trim()
	}
	b.StopTimer()
	held := uintptr(cap(ts.rows))*unsafe.Sizeof(txRow{}) + uintptr(ts.textBytes()) + uintptr(len(ts.dict))*unsafe.Sizeof("")
	for _, s := range ts.dict {
		held += uintptr(len(s))
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(xs)), "ns/tx")
	b.ReportMetric(float64(held)/float64(len(xs)), "bytes/tx")
	b.ReportMetric(float64(unsafe.Sizeof(Transaction{})), "bytes/record")
}

// BenchmarkTransactionsAt: reading every payment once, as a scoring pass
// does, in time order (rows moved by the sort, their text not).
func BenchmarkTransactionsAt(b *testing.B) {
	ts := TransactionsOf(benchTransactions(100_000)...)
	ts.SortByTime()
	var sum float64
	for b.Loop() {
		for i := range ts.Len() {
			t := ts.At(i)
			if t.ReceiverCountry == "PH" {
				sum += t.AmountUSD
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*ts.Len()), "ns/tx")
	_ = sum
}

// BenchmarkTransactionsSortByTime: a store's payments come in file order
// and are sorted once per load. Times are to the minute, as the synthetic
// worlds and many exports write them: a third of the payments share theirs
// with another.
func BenchmarkTransactionsSortByTime(b *testing.B) {
	xs := benchTransactions(1_000_000)
	for i := range xs {
		xs[i].Time = xs[i].Time.Truncate(time.Minute)
	}
	for b.Loop() {
		b.StopTimer()
		ts := TransactionsOf(xs...)
		b.StartTimer()
		ts.SortByTime()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(xs)), "ns/tx")
}
