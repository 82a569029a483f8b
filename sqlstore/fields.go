package sqlstore

import (
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/filoproject/filo"
)

// appendFields appends to b the JSON that json.Marshal makes of fs, byte
// for byte. A large case's links carry ten million field contributions,
// hundreds of megabytes of JSON: encoding them by reflection took more
// time than writing them. What it cannot write plainly (a weight that is
// not finite, a string needing escapes) it leaves to json.Marshal, whose
// output the fuzz test holds it to.
func appendFields(b []byte, fs []filo.FieldContribution) []byte {
	if fs == nil {
		return append(b, "null"...)
	}
	for i := range fs {
		f := &fs[i]
		if !jsonPlain(f.Field) || !jsonPlain(f.Level) || !jsonPlain(f.A) || !jsonPlain(f.B) || math.IsInf(f.Weight, 0) || math.IsNaN(f.Weight) {
			j, _ := json.Marshal(fs)
			return append(b, j...)
		}
	}
	b = append(b, '[')
	for i := range fs {
		f := &fs[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"field":"`...)
		b = append(b, f.Field...)
		b = append(b, `","level":"`...)
		b = append(b, f.Level...)
		b = append(b, `","weight":`...)
		b = appendNumber(b, f.Weight)
		if f.A != "" {
			b = append(b, `,"a":"`...)
			b = append(b, f.A...)
			b = append(b, '"')
		}
		if f.B != "" {
			b = append(b, `,"b":"`...)
			b = append(b, f.B...)
			b = append(b, '"')
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// jsonPlain says whether json.Marshal writes s as it is between quotes: valid
// UTF-8 with no control character, quote, backslash, HTML mark or line
// separator, which it escapes.
func jsonPlain(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size
	}
	return true
}

// appendNumber writes a finite float as encoding/json does: like
// JavaScript, in plain decimals but for very small and very large
// magnitudes, and with a one-digit negative exponent unpadded.
func appendNumber(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
