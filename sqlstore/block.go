package sqlstore

import (
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unsafe"

	"github.com/klauspost/compress/s2"
)

// A column block holds many rows of one input table, of one source, in the
// order they were inserted, encoded cell by cell in one blob. Ingest writes
// them beside the rows; LoadCase reads a case from them. Stepping through
// millions of rows one at a time, with a Go value made for every cell, was
// slower than everything else a scan does: a block is one read, and its
// strings are slices of one string.
//
// Layout: a version byte, then the body: the column count and the row
// count as uvarints, then every cell of every row, a tag byte and its
// payload. Version 2 compresses the body with S2 (Snappy's faster
// successor): it takes back most of the disk the blocks cost, and decodes
// at gigabytes a second. Version 1, uncompressed, is still read.
const (
	blockPlain      = 1
	blockS2         = 2
	blockVersion    = blockS2
	blockMaxDecoded = 256 << 20 // a block claiming more is corrupt
)

// blockRowsMax is how many rows go into one block: big enough that reading
// blocks costs nothing per row, small enough that ingest holds little.
const blockRowsMax = 4096

const (
	cellNull   = 0
	cellString = 1 // uvarint length, bytes
	cellInt    = 2 // varint
	cellFloat  = 3 // 8 bytes, IEEE 754 bits little-endian
)

// blockWriter encodes rows into a block.
type blockWriter struct {
	cols int
	rows int
	buf  []byte
}

func (w *blockWriter) reset(cols int) {
	w.cols, w.rows, w.buf = cols, 0, w.buf[:0]
}

// add encodes one row: the values ingest binds to an INSERT.
func (w *blockWriter) add(row []any) error {
	if len(row) != w.cols {
		return fmt.Errorf("block: %d values for %d columns", len(row), w.cols)
	}
	for i, v := range row {
		switch v := v.(type) {
		case nil:
			w.buf = append(w.buf, cellNull)
		case string:
			w.buf = append(w.buf, cellString)
			w.buf = binary.AppendUvarint(w.buf, uint64(len(v)))
			w.buf = append(w.buf, v...)
		case int:
			w.buf = append(w.buf, cellInt)
			w.buf = binary.AppendVarint(w.buf, int64(v))
		case int64:
			w.buf = append(w.buf, cellInt)
			w.buf = binary.AppendVarint(w.buf, v)
		case float64:
			w.buf = append(w.buf, cellFloat)
			w.buf = binary.LittleEndian.AppendUint64(w.buf, math.Float64bits(v))
		default:
			return fmt.Errorf("block: column %d: cannot encode a %T", i+1, v)
		}
	}
	w.rows++
	return nil
}

// bytes is the whole block.
func (w *blockWriter) bytes() []byte {
	body := binary.AppendUvarint(nil, uint64(w.cols))
	body = binary.AppendUvarint(body, uint64(w.rows))
	body = append(body, w.buf...)
	return append([]byte{blockS2}, s2.Encode(nil, body)...)
}

// cell is one decoded value; a string points into its block's text.
type cell struct {
	tag byte
	i   int64
	f   float64
	s   string
}

// blockReader decodes a block row by row, and scans a row as sql.Rows
// does, so that LoadCase reads blocks and rows with the same code.
type blockReader struct {
	text   string // the block, as one string the cells' strings slice
	off    int
	stored int // columns the block holds: the first of row
	left   int
	row    []cell
}

var errBlockCorrupt = errors.New("column block is corrupt")

// newBlockReader checks a block's header; cols is how many columns the
// table has now, added how many of the last were added by migrations.
func newBlockReader(data []byte, cols, added int) (*blockReader, error) {
	return new(blockDecoder).reader(data, cols, added)
}

// blockDecoder decompresses block after block into one buffer. A large
// case's blocks are gigabytes once decompressed, garbage as soon as read:
// made anew for each block, and copied into a string, they were more
// than half of what loading allocated, and kept the collector busy
// while it ran.
//
// The cells' strings are views of the buffer, valid only until the next
// block is read. That holds because a loader keeps no string of a block
// without copying it first: the strings a record keeps are packed into a
// new string of their own once the block is read (packer), and repeated
// values are interned as copies (loader.in).
type blockDecoder struct{ buf []byte }

// reader checks a block's header and decompresses it. A block written
// before a migration added the table's last columns holds fewer: it reads
// them as the empty string, their default in the table.
func (d *blockDecoder) reader(data []byte, cols, added int) (*blockReader, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: empty", errBlockCorrupt)
	}
	r := &blockReader{}
	switch data[0] {
	case blockPlain:
		r.text = string(data[1:])
	case blockS2:
		n, err := s2.DecodedLen(data[1:])
		if err != nil || n > blockMaxDecoded {
			return nil, fmt.Errorf("%w: bad compressed length", errBlockCorrupt)
		}
		if cap(d.buf) < n {
			d.buf = make([]byte, n)
		}
		body, err := s2.Decode(d.buf[:n], data[1:])
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errBlockCorrupt, err)
		}
		r.text = unsafe.String(unsafe.SliceData(body), len(body))
	default:
		return nil, fmt.Errorf("%w: unknown version %d", errBlockCorrupt, data[0])
	}
	n, err := r.uvarint()
	if err != nil {
		return nil, err
	}
	if n > uint64(cols) || n < uint64(cols-added) {
		return nil, fmt.Errorf("%w: %d columns, the table has %d", errBlockCorrupt, n, cols)
	}
	rows, err := r.uvarint()
	if err != nil {
		return nil, err
	}
	// Every row takes at least one byte a column: a count beyond that is
	// a lie that would size slices from garbage.
	if n == 0 || rows > uint64(len(r.text)-r.off)/n {
		return nil, fmt.Errorf("%w: %d rows cannot fit", errBlockCorrupt, rows)
	}
	r.stored, r.left, r.row = int(n), int(rows), make([]cell, cols)
	for i := int(n); i < cols; i++ {
		r.row[i].tag = cellString
	}
	return r, nil
}

func (r *blockReader) uvarint() (uint64, error) {
	v, n := uvarintString(r.text[r.off:])
	if n <= 0 {
		return 0, fmt.Errorf("%w: bad number at byte %d", errBlockCorrupt, r.off)
	}
	r.off += n
	return v, nil
}

// uvarintString is binary.Uvarint over a string, which saves copying the
// block back into bytes.
func uvarintString(s string) (uint64, int) {
	var x uint64
	var shift uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		b := s[i]
		if b < 0x80 {
			if i == binary.MaxVarintLen64-1 && b > 1 {
				return 0, -(i + 1)
			}
			return x | uint64(b)<<shift, i + 1
		}
		x |= uint64(b&0x7f) << shift
		shift += 7
	}
	return 0, 0
}

// next decodes the next row; false at the end.
func (r *blockReader) next() (bool, error) {
	if r.left == 0 {
		if r.off != len(r.text) {
			return false, fmt.Errorf("%w: %d bytes after the last row", errBlockCorrupt, len(r.text)-r.off)
		}
		return false, nil
	}
	r.left--
	for i := range r.row[:r.stored] {
		if r.off >= len(r.text) {
			return false, fmt.Errorf("%w: it ends inside a row", errBlockCorrupt)
		}
		c := &r.row[i]
		c.tag = r.text[r.off]
		r.off++
		switch c.tag {
		case cellNull:
		case cellString:
			n, err := r.uvarint()
			if err != nil {
				return false, err
			}
			if n > uint64(len(r.text)-r.off) {
				return false, fmt.Errorf("%w: a string runs past its end", errBlockCorrupt)
			}
			c.s = r.text[r.off : r.off+int(n)]
			r.off += int(n)
		case cellInt:
			u, err := r.uvarint()
			if err != nil {
				return false, err
			}
			// Zig-zag, as binary.AppendVarint wrote it.
			c.i = int64(u >> 1)
			if u&1 != 0 {
				c.i = ^c.i
			}
		case cellFloat:
			if len(r.text)-r.off < 8 {
				return false, fmt.Errorf("%w: a number runs past its end", errBlockCorrupt)
			}
			var b [8]byte
			copy(b[:], r.text[r.off:r.off+8])
			c.f = math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
			r.off += 8
		default:
			return false, fmt.Errorf("%w: unknown cell type %d", errBlockCorrupt, c.tag)
		}
	}
	return true, nil
}

// Scan copies the current row into dest as sql.Rows.Scan does for the
// types LoadCase reads, and refuses a NULL where it would.
func (r *blockReader) Scan(dest ...any) error {
	if len(dest) != len(r.row) {
		return fmt.Errorf("scan: %d destinations for %d columns", len(dest), len(r.row))
	}
	for i, d := range dest {
		c := &r.row[i]
		ok := true
		switch d := d.(type) {
		case *string:
			ok = c.tag == cellString
			*d = c.s
		case *sql.NullString:
			ok = c.tag == cellString || c.tag == cellNull
			*d = sql.NullString{String: c.s, Valid: c.tag == cellString}
		case *int64:
			ok = c.tag == cellInt
			*d = c.i
		case *int:
			ok = c.tag == cellInt
			*d = int(c.i)
		case *float64:
			switch c.tag {
			case cellFloat:
				*d = c.f
			case cellInt:
				*d = float64(c.i)
			default:
				ok = false
			}
		default:
			return fmt.Errorf("scan: column %d: cannot scan into %T", i+1, d)
		}
		if !ok {
			return fmt.Errorf("scan: column %d: cell of type %d does not fit %T", i+1, c.tag, d)
		}
	}
	return nil
}
