package filo

import (
	"errors"
	"fmt"
)

// Error codes, translated once at the edge (CLI exit status, HTTP status).
const (
	EINVALID  = "invalid"
	ENOTFOUND = "not_found"
	ECONFLICT = "conflict"
	EINTERNAL = "internal"
	EUNAUTH   = "unauthorized"
	EFORBID   = "forbidden"
)

// Error is an error whose message is safe to show to a user.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf makes an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// InputError is a problem in an input file, placed precisely enough that an
// analyst can open the file and fix it:
//
//	transactions.csv:4:3: amount "12,5x": want a decimal number
type InputError struct {
	File   string // name inside the case folder
	Line   int    // 1-based; 0 when the whole file is at fault
	Column int    // 1-based field number; 0 when the whole line is at fault
	Field  string // column name, when known
	Value  string // the offending text, truncated for display
	Want   string // what was expected, read after "want"
}

func (e *InputError) Error() string {
	pos := e.File
	if e.Line > 0 {
		pos = fmt.Sprintf("%s:%d", pos, e.Line)
		if e.Column > 0 {
			pos = fmt.Sprintf("%s:%d", pos, e.Column)
		}
	}
	switch {
	case e.Field != "":
		return fmt.Sprintf("%s: %s %q: want %s", pos, e.Field, e.Value, e.Want)
	case e.Value != "":
		return fmt.Sprintf("%s: %q: want %s", pos, e.Value, e.Want)
	default:
		return fmt.Sprintf("%s: want %s", pos, e.Want)
	}
}

// InputErrors is every problem found in one pass (ingest --report).
type InputErrors []*InputError

func (es InputErrors) Error() string {
	switch len(es) {
	case 0:
		return "no input errors"
	case 1:
		return es[0].Error()
	}
	return fmt.Sprintf("%s (and %d more problems)", es[0].Error(), len(es)-1)
}
