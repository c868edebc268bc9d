package main

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"

	"github.com/codecatalyst-contrib/devsessions"
)

// printer prints a listing in one output format. add is called with the
// items as they are delivered (a page, or one session), end once at the end
// with the NextToken that resumes after them ("" when nothing remains).
// text prints each item at once; json and table print one document at the
// end, as the AWS CLI does.
type printer interface {
	add(items []value) error
	end(next string) error
}

// newPrinter returns the printer of format for w. title is the table's
// title and style its width and colour; columns, when not nil, makes the
// table one section of those columns under headers (the space-wide table)
// instead of the CLI's rendering of the result.
func newPrinter(w io.Writer, format, title string, style table, columns func(value) []string, headers []string) printer {
	switch format {
	case "text":
		return &textPrinter{w: w}
	case "table":
		return &tablePrinter{w: w, title: title, style: style, columns: columns, headers: headers}
	}
	return &jsonPrinter{w: w}
}

// jsonPrinter prints {"items": [...], "NextToken": "..."} as the AWS CLI
// does (Python's json.dump with indent 4, ensure_ascii off), NextToken only
// when the listing was cut.
type jsonPrinter struct {
	w     io.Writer
	items []value
}

func (p *jsonPrinter) add(items []value) error {
	p.items = append(p.items, items...)
	return nil
}

func (p *jsonPrinter) end(next string) error {
	var b strings.Builder
	b.Grow(256 * (len(p.items) + 1)) // a session's object is about 230 bytes
	writeJSON(&b, result(p.items, next), 0)
	b.WriteString("\n")
	_, err := io.WriteString(p.w, b.String())
	return err
}

// result is the AWS CLI's full result of a paginated listing.
func result(items []value, next string) object {
	if items == nil {
		items = []value{}
	}
	o := object{{"items", items}}
	if next != "" {
		o = append(o, field{"NextToken", next})
	}
	return o
}

// textPrinter prints as the AWS CLI's text output: each page (here each
// add) as it comes, an ITEMS line an item (its scalar values, keys sorted),
// followed by a line for each nested object, then NEXTTOKEN. Each line is
// written on its own, so that a pipeline sees it at once.
type textPrinter struct {
	w io.Writer
	b strings.Builder
}

func (p *textPrinter) add(items []value) error {
	return p.print(object{{"items", items}})
}

func (p *textPrinter) end(next string) error {
	if next == "" {
		return nil
	}
	return p.print(object{{"NextToken", object{{"NextToken", next}}}})
}

func (p *textPrinter) print(v value) error {
	p.b.Reset()
	formatText(&p.b, v, "", nil)
	out := p.b.String()
	for out != "" {
		line, rest, _ := strings.Cut(out, "\n")
		if _, err := io.WriteString(p.w, line+"\n"); err != nil {
			return err
		}
		out = rest
	}
	return nil
}

// tablePrinter prints the AWS CLI's table at the end.
type tablePrinter struct {
	w       io.Writer
	title   string
	style   table // width and color
	columns func(value) []string
	headers []string
	items   []value
}

func (p *tablePrinter) add(items []value) error {
	p.items = append(p.items, items...)
	return nil
}

func (p *tablePrinter) end(next string) error {
	t := &table{width: p.style.width, color: p.style.color}
	if p.columns == nil {
		t.build(p.title, result(p.items, next), 0)
		return t.render(p.w)
	}
	// The result as the CLI draws it, but one section of the given
	// columns for the items, in their order.
	top := t.newSection(p.title, 0)
	if next != "" {
		top.addRow([]string{"NextToken", next})
	}
	if len(p.items) > 0 {
		s := t.newSection("items", 1)
		s.addHeader(p.headers)
		for _, it := range p.items {
			s.addRow(p.columns(it))
		}
	}
	return t.render(p.w)
}

// formatText is awscli/text.py's format_text.
func formatText(b *strings.Builder, v value, identifier string, scalarKeys []string) {
	switch c := v.(type) {
	case object:
		var scalars []string
		var rest []field
		if scalarKeys == nil {
			keys := make([]string, len(c))
			for i, f := range c {
				keys[i] = f.key
			}
			for _, k := range sortStrings(keys) {
				fv, _ := c.get(k)
				if isScalar(fv) {
					scalars = append(scalars, str(fv))
				} else {
					rest = append(rest, field{k, fv})
				}
			}
		} else {
			in := map[string]bool{}
			for _, k := range scalarKeys {
				in[k] = true
				fv, ok := c.get(k)
				if !ok {
					fv = ""
				}
				scalars = append(scalars, str(fv))
			}
			var keys []string
			for _, f := range c {
				if !in[f.key] {
					keys = append(keys, f.key)
				}
			}
			for _, k := range sortStrings(keys) {
				fv, _ := c.get(k)
				rest = append(rest, field{k, fv})
			}
		}
		if len(scalars) > 0 {
			if identifier != "" {
				scalars = append([]string{strings.ToUpper(identifier)}, scalars...)
			}
			b.WriteString(strings.Join(scalars, "\t") + "\n")
		}
		for _, f := range rest {
			formatText(b, f.val, f.key, nil)
		}
	case []value:
		if len(c) == 0 {
			return
		}
		keys := map[string]bool{}
		for _, it := range c {
			if o, ok := it.(object); ok {
				for _, f := range o {
					if isScalar(f.val) {
						keys[f.key] = true
					}
				}
			}
		}
		all := sortedKeys(keys)
		for _, it := range c {
			formatText(b, it, identifier, all)
		}
	default:
		b.WriteString(str(c) + "\n")
	}
}

func sortStrings(s []string) []string {
	m := map[string]bool{}
	for _, k := range s {
		m[k] = true
	}
	return sortedKeys(m)
}

// writeJSON writes v as Python's json.dump(v, indent=4, ensure_ascii=False)
// does, at the given depth.
func writeJSON(b *strings.Builder, v value, depth int) {
	indent := func(d int) {
		b.WriteByte('\n')
		for range d {
			b.WriteString("    ")
		}
	}
	switch c := v.(type) {
	case object:
		if len(c) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{")
		for i, f := range c {
			if i > 0 {
				b.WriteString(",")
			}
			indent(depth + 1)
			writeJSONString(b, f.key)
			b.WriteString(": ")
			writeJSON(b, f.val, depth+1)
		}
		indent(depth)
		b.WriteString("}")
	case []value:
		if len(c) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[")
		for i, it := range c {
			if i > 0 {
				b.WriteString(",")
			}
			indent(depth + 1)
			writeJSON(b, it, depth+1)
		}
		indent(depth)
		b.WriteString("]")
	case string:
		writeJSONString(b, c)
	default:
		b.WriteString("null")
	}
}

// writeJSONString quotes s as Python's json module does with ensure_ascii
// off: only the quote, the backslash and control characters are escaped.
func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == '"' || r == '\\' }) {
		b.WriteString(s) // nothing to escape: the common case
		b.WriteByte('"')
		return
	}
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 {
				b.WriteString(`\u00`)
				b.WriteString(strconv.FormatInt(int64(r)>>4, 16))
				b.WriteString(strconv.FormatInt(int64(r)&0xf, 16))
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}

// sessionValue is a session as the AWS CLI prints it: the model's members
// in the model's order, those the answer lacks left out.
func sessionValue(s types.DevEnvironmentSessionSummary) object {
	o := object{}
	add := func(k string, v *string) {
		if v != nil {
			o = append(o, field{k, *v})
		}
	}
	add("spaceName", s.SpaceName)
	add("projectName", s.ProjectName)
	add("devEnvironmentId", s.DevEnvironmentId)
	if s.StartedTime != nil {
		o = append(o, field{"startedTime", s.StartedTime.UTC().Format(time.RFC3339Nano)})
	}
	add("id", s.Id)
	return o
}

// spaceValue is a space-wide item: the session's own object and a
// "devEnvironment" object, the part of its ListDevEnvironments item a
// space-wide listing prints.
func spaceValue(it devsessions.SpaceSession) object {
	e := it.DevEnvironment
	env := object{}
	add := func(k, v string, always bool) {
		if always || v != "" {
			env = append(env, field{k, v})
		}
	}
	add("id", deref(e.Id), true)
	add("projectName", deref(e.ProjectName), true)
	add("alias", deref(e.Alias), false)
	add("status", string(e.Status), true)
	add("creatorId", deref(e.CreatorId), true)
	add("instanceType", string(e.InstanceType), true)
	if e.LastUpdatedTime != nil {
		add("lastUpdatedTime", e.LastUpdatedTime.UTC().Format(time.RFC3339Nano), true)
	}
	return append(sessionValue(it.Session), field{"devEnvironment", env})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// spaceHeaders are the columns of the space-wide table.
var spaceHeaders = []string{"project", "devEnvironment", "creator", "sessionId", "started", "ago"}

// spaceColumns returns the space-wide table's row of an item made by
// spaceValue: how long ago the session started is counted from now.
func spaceColumns(now time.Time) func(value) []string {
	return func(v value) []string {
		o, _ := v.(object)
		get := func(o object, k string) string {
			s, _ := o.get(k)
			t, _ := s.(string)
			return t
		}
		envV, _ := o.get("devEnvironment")
		env, _ := envV.(object)
		label := get(env, "alias")
		if label == "" {
			label = get(env, "id")
		}
		started, ago := "", ""
		if t, err := time.Parse(time.RFC3339Nano, get(o, "startedTime")); err == nil {
			started = t.UTC().Format("2006-01-02 15:04:05Z")
			ago = agoString(now.Sub(t))
		}
		return []string{get(env, "projectName"), label, get(env, "creatorId"), get(o, "id"), started, ago}
	}
}

// agoString says how long ago, to the minute: "45s ago", "12m ago",
// "3h12m ago", "2d5h ago".
func agoString(d time.Duration) string {
	switch {
	case d < 0:
		return "in the future"
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s ago"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m ago"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h" + strconv.Itoa(int(d%time.Hour/time.Minute)) + "m ago"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + "d" + strconv.Itoa(int(d%(24*time.Hour)/time.Hour)) + "h ago"
}
