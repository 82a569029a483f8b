// Package fx converts amounts to US dollars for analysis: built-in reference
// rates, overridden per date by a case folder's fx_rates.csv.
package fx

import (
	"sort"
	"time"
)

// ReferenceDate is the day the built-in rates were read (mid-market, USD
// for one unit). They are a fallback only: a case folder's fx_rates.csv
// gives the rates an analysis should use.
const ReferenceDate = "2025-06-30"

// reference holds approximate mid-market USD rates for one unit of each
// currency on ReferenceDate, rounded; enough to rank amounts, not to account
// for them.
var reference = map[string]float64{
	"USD": 1, "EUR": 1.17, "GBP": 1.37, "CHF": 1.25, "AUD": 0.655, "NZD": 0.605,
	"CAD": 0.73, "SEK": 0.105, "NOK": 0.099, "DKK": 0.157, "ISK": 0.0082,
	"JPY": 0.0069, "SGD": 0.785, "HKD": 0.1274, "KRW": 0.00074, "TWD": 0.0342,
	"CNY": 0.1395, "PHP": 0.0177, "VND": 0.0000383, "THB": 0.0307, "IDR": 0.0000616,
	"MYR": 0.237, "KHR": 0.000249, "LAK": 0.0000463, "MMK": 0.000476, "INR": 0.01167,
	"PKR": 0.00352, "BDT": 0.00818, "LKR": 0.00334, "NPR": 0.0073, "MXN": 0.053,
	"BRL": 0.183, "COP": 0.000245, "ARS": 0.00084, "CLP": 0.00107, "PEN": 0.282,
	"ZAR": 0.0563, "NGN": 0.00065, "GHS": 0.097, "KES": 0.00774, "EGP": 0.0201,
	"MAD": 0.111, "AED": 0.2723, "SAR": 0.2666, "QAR": 0.2747, "KWD": 3.27,
	"ILS": 0.296, "TRY": 0.0251, "PLN": 0.276, "CZK": 0.0474, "HUF": 0.00293,
	"RON": 0.231, "BGN": 0.598, "RUB": 0.0127, "UAH": 0.024,
}

// Reference returns the built-in USD rate of a currency.
func Reference(currency string) (float64, bool) {
	r, ok := reference[currency]
	return r, ok
}

// Rate is one dated rate of a currency.
type Rate struct {
	Day     int32 // days since the Unix epoch
	USDRate float64
}

// Table answers "what was one unit of this currency worth in USD on this
// day": the given rate on that day or the latest before it, else the
// built-in reference. It is built once and read without locks or
// allocation, since ingest asks it once per transaction.
type Table struct {
	dated map[string][]Rate // per currency, sorted by day
}

// NewTable builds a table from dated rates (dates as YYYY-MM-DD).
func NewTable(rates map[string][]Rate) *Table {
	t := &Table{dated: map[string][]Rate{}}
	for cur, rs := range rates {
		rs = append([]Rate(nil), rs...)
		sort.Slice(rs, func(i, j int) bool { return rs[i].Day < rs[j].Day })
		t.dated[cur] = rs
	}
	return t
}

// Day converts a time to the table's day number (in the time's own zone,
// since a rate is quoted for the local business day).
func Day(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// USD converts an amount; ok is false for a currency the table does not know.
func (t *Table) USD(amount float64, currency string, at time.Time) (float64, bool) {
	if rs := t.dated[currency]; len(rs) > 0 {
		day := Day(at)
		i := sort.Search(len(rs), func(i int) bool { return rs[i].Day > day })
		if i > 0 {
			return amount * rs[i-1].USDRate, true
		}
	}
	r, ok := reference[currency]
	return amount * r, ok
}
