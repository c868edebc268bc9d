package main

//go:generate python3 widths_gen.py

import (
	"io"
	"math"
	"sort"
	"strings"
)

// This file draws tables as the AWS CLI v1's --output table does: a port of
// awscli/table.py (MultiTable, Section) and of the parts of
// awscli/formatter.py (TableFormatter) that a listing's result reaches,
// with the colours the CLI adds on a terminal (its ColorizedStyler, through
// colorama).

// table is a titled box of sections, each one indented by its level, drawn
// as wide as its widest section (MultiTable).
type table struct {
	sections []*section
	// width is the terminal's width: a table wider than it is drawn with
	// each single-row section turned vertical, as the CLI does. The CLI
	// takes 80 when standard output is not a terminal.
	width int
	// color draws as the CLI does on a terminal: values bright blue, the
	// indentation's bars dim yellow, and after every write of the CLI's
	// (colorama's autoreset) and at its exit a reset.
	color bool
}

// The ANSI sequences of the CLI's ColorizedStyler, through colorama.
const (
	ansiReset   = "\x1b[0m"
	ansiElement = "\x1b[1m\x1b[34m" // Style.BRIGHT + Fore.BLUE
	ansiIndent  = "\x1b[2m\x1b[33m" // Style.DIM + Fore.YELLOW
)

// out is where a table is drawn, one write of the CLI's at a time.
type out struct {
	b     strings.Builder
	color bool
}

func (o *out) write(s string) {
	o.b.WriteString(s)
	if o.color {
		o.b.WriteString(ansiReset)
	}
}

// element is a value as the CLI styles it (style_row_element).
func (o *out) element(s string) string {
	if o.color {
		return ansiElement + s + ansiReset
	}
	return s
}

// bar is an indentation bar as the CLI styles it (style_indentation_char).
func (o *out) bar() string {
	if o.color {
		return ansiIndent + "|" + ansiReset
	}
	return "|"
}

// section is a title, column headers and rows (Section).
type section struct {
	title     string
	headers   []string
	rows      [][]string
	indent    int
	maxWidths []int
}

func (t *table) newSection(title string, indent int) *section {
	s := &section{title: title, indent: indent}
	t.sections = append(t.sections, s)
	return s
}

func (s *section) addHeader(headers []string) {
	s.updateMaxWidths(headers)
	s.headers = headers
}

func (s *section) addRow(row []string) {
	s.rows = append(s.rows, row)
	s.updateMaxWidths(row)
}

func (s *section) updateMaxWidths(row []string) {
	if len(s.maxWidths) == 0 {
		for _, c := range row {
			s.maxWidths = append(s.maxWidths, textWidth(c))
		}
		return
	}
	for i, c := range row {
		s.maxWidths[i] = max(s.maxWidths[i], textWidth(c))
	}
}

// columnWidths returns the widths of the columns padded by padding and,
// when maxWidth > 0, scaled to add up to maxWidth exactly, as the CLI
// rounds and corrects them.
func (s *section) columnWidths(padding, maxWidth int) []int {
	widths := make([]int, len(s.maxWidths))
	sum := 0
	for i, w := range s.maxWidths {
		widths[i] = w + padding
		sum += widths[i]
	}
	if maxWidth <= 0 || len(widths) == 0 {
		return widths
	}
	scale := float64(maxWidth) / float64(sum)
	off := -maxWidth
	for i, w := range widths {
		widths[i] = int(math.RoundToEven(scale * float64(w))) // Python's round
		off += widths[i]
	}
	for off != 0 {
		for j := range widths {
			i := j
			if off < 0 {
				i = len(widths) - 1 - j
			}
			if off > 0 {
				widths[i]--
				off--
			} else {
				widths[i]++
				off++
			}
			if off == 0 {
				break
			}
		}
	}
	return widths
}

// totalWidth is the width the section needs, borders and indentation
// included.
func (s *section) totalWidth() int {
	total := 2 + 2*s.indent
	for _, w := range s.columnWidths(0, 0) {
		total += w + 4
	}
	return max(textWidth(s.title)+2+2*s.indent, total)
}

func (t *table) maxWidth() int {
	w := 0
	for _, s := range t.sections {
		w = max(w, s.totalWidth())
	}
	return w
}

// render writes the table (MultiTable.render).
func (t *table) render(w io.Writer) error {
	if len(t.sections) == 0 {
		return nil
	}
	width := t.maxWidth()
	if width > t.width {
		t.vertical()
		width = t.maxWidth()
	}
	o := &out{color: t.color}
	o.write(strings.Repeat("-", width) + "\n")
	for _, s := range t.sections {
		s.render(o, width-2*s.indent)
	}
	if t.color {
		o.b.WriteString(ansiReset) // colorama's reset at the CLI's exit
	}
	_, err := io.WriteString(w, o.b.String())
	return err
}

// vertical turns every section of one row and headers into one row per
// header (convert_to_vertical_table).
func (t *table) vertical() {
	for i, s := range t.sections {
		if len(s.rows) != 1 || len(s.headers) == 0 {
			continue
		}
		v := &section{title: s.title, indent: s.indent}
		for j, h := range s.headers {
			if j < len(s.rows[0]) {
				v.addRow([]string{h, s.rows[0][j]})
			}
		}
		t.sections[i] = v
	}
}

// render draws the section as the CLI writes it through an IndentedStream:
// the left bars, the line, the right bars and the newline, each a write.
func (s *section) render(o *out, width int) {
	edge := strings.Repeat(o.bar(), s.indent)
	line := func(text string) {
		o.write(edge)
		o.write(text)
		o.write(edge)
		o.write("\n")
	}
	if s.title != "" {
		line(centerText(s.title, width, "|", "|"))
		if len(s.headers) == 0 && len(s.rows) == 0 {
			line("+" + strings.Repeat("-", width-2) + "+")
		}
	}
	if len(s.headers) > 0 {
		widths := s.columnWidths(4, width)
		var cur strings.Builder
		for i, h := range s.headers {
			if i >= len(widths) {
				break
			}
			left := ""
			if i == 0 {
				left = "|"
			}
			cur.WriteString(centerText(h, widths[i], left, "|"))
		}
		line(lineBreak(widths))
		line(cur.String())
	}
	if len(s.rows) > 0 {
		widths := s.columnWidths(4, width)
		if len(widths) == 0 {
			return
		}
		line(lineBreak(widths))
		for _, row := range s.rows {
			var cur strings.Builder
			for i, c := range row {
				if i >= len(widths) {
					break
				}
				left := ""
				if i == 0 {
					left = "|"
				}
				cur.WriteString(alignLeft(c, o.element(c), widths[i], left, "|"))
			}
			line(cur.String())
		}
		line(lineBreak(widths))
	}
}

// lineBreak is +-----+------+ for the widths (_write_line_break).
func lineBreak(widths []int) string {
	var b strings.Builder
	for i, w := range widths {
		if i == 0 {
			b.WriteString("+" + spaces('-', w-2) + "+")
		} else {
			b.WriteString(spaces('-', w-1) + "+")
		}
	}
	return b.String()
}

// centerText centres text in length columns between the edges (center_text).
func centerText(text string, length int, left, right string) string {
	n := textWidth(text)
	start := length/2 - n/2 - 1
	so := len(left) + start + n
	return left + spaces(' ', start) + text + spaces(' ', length-len(right)-so) + right
}

// alignLeft left-aligns text, drawn as styled, in length columns between
// the edges, two spaces in when it fits (align_left).
func alignLeft(text, styled string, length int, left, right string) string {
	n := textWidth(text)
	padding := 2
	if length-(n+2+len(left)+len(right)) < 0 {
		padding = 0
	}
	return left + spaces(' ', padding) + styled + spaces(' ', length-len(left)-padding-n-len(right)) + right
}

// spaces repeats c n times; none when n < 1, as Python's ' ' * n.
func spaces(c byte, n int) string {
	if n < 1 {
		return ""
	}
	return strings.Repeat(string(c), n)
}

// textWidth counts the columns text takes as the CLI does
// (get_text_length): two for a character whose East Asian width is Wide,
// Fullwidth or Ambiguous, one for any other.
func textWidth(text string) int {
	n := 0
	for _, r := range text {
		n++
		if isWide(r) {
			n++
		}
	}
	return n
}

func isWide(r rune) bool {
	if r < 0xA1 {
		return false
	}
	i := sort.Search(len(wideRanges), func(i int) bool { return wideRanges[i][1] >= r })
	return i < len(wideRanges) && wideRanges[i][0] <= r
}

// value is a JSON-like result the table and text formatters walk: a string
// (the CLI's scalar), an object or a list.
type value interface{}

// object is a JSON object with its keys in order.
type object []field

type field struct {
	key string
	val value
}

func (o object) get(key string) (value, bool) {
	for _, f := range o {
		if f.key == key {
			return f.val, true
		}
	}
	return nil, false
}

func isScalar(v value) bool {
	switch v.(type) {
	case object, []value:
		return false
	}
	return true
}

// buildTable adds a result to t as TableFormatter._build_table does, and
// reports whether there was anything to add.
func (t *table) build(title string, cur value, indent int) bool {
	switch c := cur.(type) {
	case object:
		if len(c) == 0 {
			return false
		}
		s := t.newSection(title, indent)
		t.fromObject(s, c, indent)
	case []value:
		if len(c) == 0 {
			return false
		}
		s := t.newSection(title, indent)
		if _, ok := c[0].(object); ok {
			t.fromList(s, c, indent, title)
			return true
		}
		for _, it := range c { // lists of scalars: not in a listing's result
			if isScalar(it) {
				s.addRow([]string{str(it)})
			}
		}
	default:
		return false
	}
	return true
}

func (t *table) fromObject(s *section, o object, indent int) {
	headers, more := scalarKeys(o)
	switch {
	case len(headers) == 1:
		v, _ := o.get(headers[0])
		s.addRow([]string{headers[0], str(v)})
	case len(headers) > 1:
		s.addHeader(headers)
		row := make([]string, len(headers))
		for i, h := range headers {
			v, _ := o.get(h)
			row[i] = str(v)
		}
		s.addRow(row)
	}
	for _, k := range more {
		v, _ := o.get(k)
		t.build(k, v, indent+1)
	}
}

func (t *table) fromList(s *section, list []value, indent int, title string) {
	hs, ms := map[string]bool{}, map[string]bool{}
	for _, it := range list {
		if o, ok := it.(object); ok {
			h, m := scalarKeys(o)
			for _, k := range h {
				hs[k] = true
			}
			for _, k := range m {
				ms[k] = true
			}
		}
	}
	headers, more := sortedKeys(hs), sortedKeys(ms)
	s.addHeader(headers)
	for i, it := range list {
		o, _ := it.(object)
		if i > 0 && len(more) > 0 {
			s = t.newSection(title, indent)
			s.addHeader(headers)
		}
		row := make([]string, len(headers))
		for j, h := range headers {
			if v, ok := o.get(h); ok {
				row[j] = str(v)
			}
		}
		s.addRow(row)
		for _, k := range more {
			if v, ok := o.get(k); ok {
				t.build(k, v, indent+1)
			}
		}
	}
}

// scalarKeys splits an object's keys into those of scalars and the rest,
// each sorted.
func scalarKeys(o object) (headers, more []string) {
	for _, f := range o {
		if isScalar(f.val) {
			headers = append(headers, f.key)
		} else {
			more = append(more, f.key)
		}
	}
	sort.Strings(headers)
	sort.Strings(more)
	return headers, more
}

func sortedKeys(m map[string]bool) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// str is a scalar as the CLI prints it (str()): results here hold strings
// only; a missing value is "None".
func str(v value) string {
	switch s := v.(type) {
	case string:
		return s
	case nil:
		return "None"
	}
	return ""
}
