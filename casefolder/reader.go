package casefolder

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"

	"github.com/filoproject/filo"
	"github.com/filoproject/filo/fx"
)

// Sink receives the records of a folder as they are read and validated.
// An error with code filo.ECONFLICT is reported at the record's id column.
type Sink interface {
	Party(*filo.Party) error
	Account(*filo.Account) error
	Transaction(*filo.Transaction) error
	PlatformAccount(*filo.PlatformAccount) error
	Session(*filo.Session) error
	Subscriber(*filo.Subscriber) error
	Message(*filo.Message) error
	WatchEntry(*filo.WatchEntry) error
	FXRate(*filo.FXRate) error
}

// problems collects input errors: the first one ends the read unless every
// problem is wanted (ingest --report), and then up to max of them.
type problems struct {
	all  bool
	max  int
	list filo.InputErrors
}

// errStop ends a read in report mode once enough problems are collected.
var errStop = errors.New("too many problems")

func (p *problems) add(e *filo.InputError) error {
	p.list = append(p.list, e)
	if !p.all {
		return e
	}
	if p.max > 0 && len(p.list) >= p.max {
		return errStop
	}
	return nil
}

// fileReader reads one CSV file of a case folder.
type fileReader struct {
	name    string
	cr      *csv.Reader
	col     map[string]int // lower-case column name → field index
	extra   []int          // fields that are no column of the spec: kept as attributes
	header  []string
	rec     []string
	line    int
	rowBad  bool // the current row has a problem already
	probs   *problems
	fx      *fx.Table
	parties map[string]bool // party ids of this folder, for the referential warning count
	gaps    int             // references to parties not in this folder
}

// ReadFile validates one interchange-v1 file and hands its records to sink;
// it stops at the first problem. name is the file's name inside the folder
// and selects its schema; tab converts amounts (nil: built-in rates).
func ReadFile(ctx context.Context, name string, r io.Reader, tab *fx.Table, sink Sink) error {
	fr, err := newFileReader(ctx, name, r, tab, &problems{}, nil)
	if err != nil {
		return err
	}
	return fr.run(ctx, sink)
}

// newFileReader reads the header. It returns a nil reader and no error when
// the header's problem was recorded in report mode and the file cannot be
// read further.
func newFileReader(ctx context.Context, name string, r io.Reader, tab *fx.Table, probs *problems, parties map[string]bool) (*fileReader, error) {
	cols, ok := schemas[name]
	if !ok {
		return nil, fmt.Errorf("casefolder: %s is no file of interchange format v1", name)
	}
	if tab == nil {
		tab = fx.NewTable(nil)
	}
	br := bufio.NewReaderSize(r, 256<<10)
	if bom, _ := br.Peek(3); string(bom) == "\xef\xbb\xbf" {
		br.Discard(3)
	}
	fr := &fileReader{name: name, probs: probs, fx: tab, parties: parties}
	fr.cr = csv.NewReader(br)
	fr.cr.ReuseRecord = true

	head, err := fr.cr.Read()
	if err == io.EOF {
		return nil, probs.add(&filo.InputError{File: name, Want: "a header row naming the columns (the file is empty)"})
	}
	if err != nil {
		return nil, fr.csvError(err)
	}
	n := len(probs.list)
	if err := fr.mapHeader(head, cols); err != nil {
		return nil, err
	}
	if len(probs.list) > n {
		return nil, nil
	}
	return fr, nil
}

// run reads every row.
func (fr *fileReader) run(ctx context.Context, sink Sink) error {
	emit := fr.emitter(sink)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := fr.cr.Read()
		if err == io.EOF {
			if f, ok := sink.(interface{ Flush() error }); ok {
				return fr.sinkErr(f.Flush(), idColumn[fr.name], "")
			}
			return nil
		}
		if err != nil {
			if e := fr.csvError(err); e != nil {
				return e
			}
			continue
		}
		fr.rec = rec
		fr.line, _ = fr.cr.FieldPos(0)
		fr.rowBad = false
		if err := fr.checkText(); err != nil {
			return err
		}
		if fr.rowBad {
			continue
		}
		if err := emit(); err != nil {
			return err
		}
	}
}

// csvError turns a CSV syntax error into an input error at its place.
func (fr *fileReader) csvError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("read %s: %w", fr.name, err)
	}
	want := "well-formed CSV (RFC 4180)"
	switch {
	case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
		want = "well-formed quoting: a field with a quote must be quoted as a whole, with inner quotes doubled"
	case errors.Is(pe.Err, csv.ErrFieldCount):
		want = fmt.Sprintf("%d fields as in the header", len(fr.header))
		// A wrong field count is a row problem: reading can go on.
		if e := fr.probs.add(&filo.InputError{File: fr.name, Line: pe.StartLine, Want: want}); e != nil {
			return e
		}
		return nil
	}
	line := pe.Line
	if line == 0 {
		line = pe.StartLine
	}
	e := &filo.InputError{File: fr.name, Line: line, Want: fmt.Sprintf("%s (at character %d)", want, pe.Column)}
	if err := fr.probs.add(e); err != nil {
		return err
	}
	return errStop // quoting errors leave the rest of the file unreadable
}

func (fr *fileReader) mapHeader(head []string, cols []column) error {
	fr.col = make(map[string]int, len(head))
	fr.header = make([]string, len(head))
	known := make(map[string]bool, len(cols))
	for _, c := range cols {
		known[c.name] = true
	}
	for i, h := range head {
		if !utf8.ValidString(h) || strings.IndexByte(h, 0) >= 0 {
			return fr.probs.add(&filo.InputError{File: fr.name, Line: 1, Column: i + 1,
				Want: "UTF-8 text, not binary data (is this really a CSV file?)"})
		}
		h = strings.ToLower(strings.TrimSpace(h))
		fr.header[i] = h
		if h == "" {
			continue
		}
		if j, dup := fr.col[h]; dup {
			return fr.probs.add(&filo.InputError{File: fr.name, Line: 1, Column: i + 1, Field: h, Value: head[i],
				Want: fmt.Sprintf("each column once (also column %d)", j+1)})
		}
		fr.col[h] = i
		if !known[h] {
			fr.extra = append(fr.extra, i)
		}
	}
	for _, c := range cols {
		if _, ok := fr.col[c.name]; c.required && !ok {
			return fr.probs.add(&filo.InputError{File: fr.name, Line: 1,
				Want: fmt.Sprintf("a column named %q (required in %s)", c.name, fr.name)})
		}
	}
	fr.cr.FieldsPerRecord = len(head)
	return nil
}

// checkText rejects binary garbage: NUL bytes or invalid UTF-8.
func (fr *fileReader) checkText() error {
	for i, f := range fr.rec {
		if !utf8.ValidString(f) || strings.IndexByte(f, 0) >= 0 {
			return fr.fail(i, f, "UTF-8 text, not binary data")
		}
	}
	return nil
}

// fail records a problem at field i of the current row.
func (fr *fileReader) fail(i int, value, want string) error {
	fr.rowBad = true
	field := ""
	if i >= 0 && i < len(fr.header) {
		field = fr.header[i]
	}
	if len(value) > 60 {
		value = value[:57] + "..."
	}
	return fr.probs.add(&filo.InputError{File: fr.name, Line: fr.line, Column: i + 1, Field: field, Value: value, Want: want})
}

// get returns a cell trimmed of surrounding white space, "" when the column
// is absent.
func (fr *fileReader) get(name string) string {
	i, ok := fr.col[name]
	if !ok {
		return ""
	}
	return strings.TrimSpace(fr.rec[i])
}

// raw returns a cell as written (free text keeps its spaces).
func (fr *fileReader) raw(name string) string {
	if i, ok := fr.col[name]; ok {
		return fr.rec[i]
	}
	return ""
}

func (fr *fileReader) required(name string) (string, error) {
	v := fr.get(name)
	if v == "" {
		return "", fr.fail(fr.col[name], "", "a value: "+name+" is required")
	}
	return v, nil
}

func (fr *fileReader) attrs() filo.Attrs {
	var a filo.Attrs
	for _, i := range fr.extra {
		if v := strings.TrimSpace(fr.rec[i]); v != "" {
			if a == nil {
				a = filo.Attrs{}
			}
			a[fr.header[i]] = v
		}
	}
	return a
}

func (fr *fileReader) prov() filo.Provenance {
	return filo.Provenance{File: fr.name, Line: fr.line}
}

const timeWant = "a timestamp in RFC 3339 with a UTC offset, e.g. 2025-03-01T21:15:00+01:00"

func (fr *fileReader) timestamp(name string, need bool) (time.Time, error) {
	v := fr.get(name)
	if v == "" {
		if need {
			_, err := fr.required(name)
			return time.Time{}, err
		}
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fr.fail(fr.col[name], v, timeWant)
	}
	return t, nil
}

func (fr *fileReader) date(name string, need bool) (string, error) {
	v := fr.get(name)
	if v == "" {
		if need {
			return fr.required(name)
		}
		return "", nil
	}
	if _, err := time.Parse("2006-01-02", v); err != nil {
		return "", fr.fail(fr.col[name], v, "a date as YYYY-MM-DD, e.g. 1980-04-21")
	}
	return v, nil
}

// decimal parses a positive decimal with a dot separator: digits, at most
// one dot, digits after it. Thousands separators, signs and exponents are
// refused rather than guessed at.
func (fr *fileReader) decimal(name string) (float64, string, error) {
	v, err := fr.required(name)
	if err != nil {
		return 0, "", err
	}
	dot, digits := false, 0
	ok := true
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot && digits > 0 && i < len(v)-1:
			dot = true
		default:
			ok = false
		}
	}
	if !ok || digits == 0 {
		want := "a decimal number with a dot separator, e.g. 15.50"
		if strings.ContainsRune(v, ',') {
			want += " (no comma: neither as decimal nor as thousands separator)"
		}
		return 0, "", fr.fail(fr.col[name], v, want)
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 {
		return 0, "", fr.fail(fr.col[name], v, "a number greater than zero")
	}
	return f, v, nil
}

func (fr *fileReader) currencyCode(name string, need bool) (string, error) {
	v := fr.get(name)
	if v == "" {
		if need {
			return fr.required(name)
		}
		return "", nil
	}
	u, err := currency.ParseISO(v)
	if err != nil || len(v) != 3 {
		return "", fr.fail(fr.col[name], v, "an ISO 4217 currency code, e.g. EUR, USD, PHP")
	}
	return u.String(), nil
}

func (fr *fileReader) country(name string) (string, error) {
	v := fr.get(name)
	if v == "" {
		return "", nil
	}
	up := strings.ToUpper(v)
	r, err := language.ParseRegion(up)
	// UK is only reserved in ISO 3166-1; the United Kingdom is GB.
	if err != nil || len(up) != 2 || !r.IsCountry() || r.String() != up || up == "UK" {
		want := "an ISO 3166-1 alpha-2 country code, e.g. PH, IT, US"
		if up == "UK" {
			want += " (the United Kingdom is GB)"
		}
		return "", fr.fail(fr.col[name], v, want)
	}
	return up, nil
}

func (fr *fileReader) enum(name string, allowed map[string]bool, def string) (string, error) {
	v := strings.ToLower(fr.get(name))
	if v == "" {
		return def, nil
	}
	if !allowed[v] {
		return "", fr.fail(fr.col[name], fr.get(name), "one of "+strings.Join(sortedKeys(allowed), ", "))
	}
	return v, nil
}

// emitter returns the function that converts the current row of this
// file's kind and hands it to the sink.
func (fr *fileReader) emitter(sink Sink) func() error {
	switch fr.name {
	case FileParties:
		return func() error { return fr.party(sink) }
	case FileAccounts:
		return func() error { return fr.account(sink) }
	case FileTransactions:
		return func() error { return fr.transaction(sink) }
	case FilePlatformAccounts:
		return func() error { return fr.platformAccount(sink) }
	case FileSessions:
		return func() error { return fr.session(sink) }
	case FileSubscribers:
		return func() error { return fr.subscriber(sink) }
	case FileMessages:
		return func() error { return fr.message(sink) }
	case FileWatchlist:
		return func() error { return fr.watchEntry(sink) }
	case FileFXRates:
		return func() error { return fr.fxRate(sink) }
	}
	panic("casefolder: no emitter for " + fr.name)
}

// sinkErr places a sink's conflict at the record's id column.
func (fr *fileReader) sinkErr(err error, idCol, id string) error {
	if err == nil {
		return nil
	}
	var ie *filo.InputError
	if errors.As(err, &ie) {
		// The store placed the duplicate by its provenance; name the column.
		e := *ie
		e.Field, e.Column = idCol, fr.col[idCol]+1
		fr.rowBad = true
		return fr.probs.add(&e)
	}
	var fe *filo.Error
	if errors.As(err, &fe) && fe.Code == filo.ECONFLICT {
		return fr.fail(fr.col[idCol], id, "a unique id: "+fe.Message)
	}
	return fmt.Errorf("%s:%d: %w", fr.name, fr.line, err)
}
