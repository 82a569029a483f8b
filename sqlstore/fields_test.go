package sqlstore

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/filoproject/filo"
)

// TestAppendFieldsIsMarshal: the hand-written encoding of a link's
// explanation is json.Marshal's, for what links carry and for what makes
// it hand over to json.Marshal.
func TestAppendFieldsIsMarshal(t *testing.T) {
	for _, tt := range []struct {
		name string
		fs   []filo.FieldContribution
	}{
		{"nil", nil},
		{"empty", []filo.FieldContribution{}},
		{"a link", []filo.FieldContribution{
			{Field: "prior", Level: "lambda=0.2000", Weight: -2},
			{Field: "name", Level: "exact (name frequency adjustment +6.00)", Weight: 18.180502632913417, A: "michele fiore", B: "michele fiore"},
			{Field: "phone", Level: "missing", Weight: 0, A: "+393027535605"},
			{Field: "address", Level: "different", Weight: -4.5e-7, B: "25 mazzini roma via"},
		}},
		{"large and small", []filo.FieldContribution{{Weight: 1e21}, {Weight: -1e-6}, {Weight: 1e-7}, {Weight: 123456789e13}, {Weight: math.SmallestNonzeroFloat64}, {Weight: -0.0}}},
		{"letters beyond ASCII", []filo.FieldContribution{{Field: "name", Level: "exact", A: "trần thị lan", B: "nguyễn"}}},
		{"escapes", []filo.FieldContribution{{Field: "name", Level: `"q" \ <b>&`, A: "tab\there", B: "line\u2028sep"}}},
		{"bad UTF-8", []filo.FieldContribution{{Field: "name", A: "\xff\xfe"}}},
		{"not finite", []filo.FieldContribution{{Field: "name", Weight: math.Inf(-1)}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkFields(t, tt.fs)
		})
	}
}

func checkFields(t *testing.T, fs []filo.FieldContribution) {
	t.Helper()
	want, _ := json.Marshal(fs)
	if got := appendFields(nil, fs); string(got) != string(want) {
		t.Errorf("appendFields(%+v)\n= %s\nwant %s", fs, got, want)
	}
}

func FuzzAppendFields(f *testing.F) {
	f.Add("name", "exact", "michele fiore", "", 18.180502632913417, uint8(2))
	f.Add("address", "different", "<a>", "\x00", -1e-7, uint8(1))
	f.Fuzz(func(t *testing.T, field, level, a, b string, w float64, n uint8) {
		fs := make([]filo.FieldContribution, n%4)
		for i := range fs {
			fs[i] = filo.FieldContribution{Field: field, Level: level, Weight: w * float64(i+1), A: a, B: b}
			a, b = b, a
		}
		checkFields(t, fs)
	})
}

// BenchmarkLinkFields: encoding a typical link's explanation, by hand and
// by json.Marshal.
func BenchmarkLinkFields(b *testing.B) {
	fs := []filo.FieldContribution{
		{Field: "prior", Level: "lambda=0.2000", Weight: -2},
		{Field: "name", Level: "exact (name frequency adjustment +6.00)", Weight: 18.180502632913417, A: "michele fiore", B: "michele fiore"},
		{Field: "birth_date", Level: "exact", Weight: 12.63100851222182, A: "1968-10-25", B: "1968-10-25"},
		{Field: "phone", Level: "exact", Weight: 14.630695441358943, A: "+393027535605", B: "+393027535605"},
		{Field: "email", Level: "exact", Weight: 12.8575943956666, A: "michele.fiore750@example.com", B: "michele.fiore750@example.com"},
		{Field: "id_number", Level: "exact", Weight: 15.545319525889763, A: "SC9925975", B: "SC9925975"},
		{Field: "address", Level: "most_tokens_shared", Weight: 16.0611820474298, A: "25 mazzini roma via", B: "25 mazzini roma via"},
		{Field: "country", Level: "exact", Weight: 2.2486097110378185, A: "IT", B: "IT"},
	}
	b.Run("appendFields", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf = appendFields(buf[:0], fs)
		}
	})
	b.Run("json.Marshal", func(b *testing.B) {
		for b.Loop() {
			json.Marshal(fs)
		}
	})
}
