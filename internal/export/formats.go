package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
)

// listSep joins a list in one CSV cell; names and outlets do not hold it.
const listSep = "; "

// csvTable writes rows of T as CSV with a header of T's column names.
func csvTable[T any](w io.Writer) (put func(T) error, finish func() error, err error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	cw := csv.NewWriter(bw)
	t := reflect.TypeFor[T]()
	if err := cw.Write(columnNames(t)); err != nil {
		return nil, nil, err
	}
	record := make([]string, t.NumField())
	put = func(row T) error {
		v := reflect.ValueOf(row)
		for i := range record {
			record[i] = csvCell(v.Field(i))
		}
		return cw.Write(record)
	}
	finish = func() error {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		return bw.Flush()
	}
	return put, finish, nil
}

// columnNames reads the column names from the fields' parquet tags, so the
// two formats cannot name a column differently.
func columnNames(t reflect.Type) []string {
	names := make([]string, t.NumField())
	for i := range names {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("parquet"), ",")
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		names[i] = name
	}
	return names
}

// csvCell writes one value as text: nothing for a missing one, RFC 3339
// for an instant, lists joined.
func csvCell(v reflect.Value) string {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if t, ok := v.Interface().(time.Time); ok {
		return t.Format(time.RFC3339)
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Int:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Slice:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = v.Index(i).String()
		}
		return strings.Join(parts, listSep)
	}
	return fmt.Sprint(v.Interface())
}

// parquetTable writes rows of T as Parquet, Snappy-compressed (the codec every reader has), in row groups
// the writer flushes as they fill, so a large export never sits in memory.
func parquetTable[T any](w io.Writer) (put func(T) error, finish func() error) {
	pw := parquet.NewGenericWriter[T](w, parquet.Compression(&parquet.Snappy), parquet.MaxRowsPerRowGroup(64<<10))
	buf := make([]T, 1)
	put = func(row T) error {
		buf[0] = row
		_, err := pw.Write(buf)
		return err
	}
	return put, pw.Close
}
