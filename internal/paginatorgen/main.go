// Command paginatorgen writes the per-operation code of package devsessions
// (client.go: the client interfaces; operations.go: the constructors, the
// type names and what the engine knows of each operation) from the table of
// the model's facts in facts.go. Run it with go generate in the package's
// directory; it writes there.
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"log"
	"os"
	"strings"
	"text/template"
	"unicode"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("paginatorgen: ")
	for name, tmpl := range templates {
		src, err := render(tmpl)
		if err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(name, src, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// templates are the files written, by name.
var templates = map[string]*template.Template{"client.go": clientTmpl, "operations.go": operationsTmpl,
	"client_test.go": clientTestTmpl}

// render executes tmpl over the table and formats the result.
func render(tmpl *template.Template) ([]byte, error) {
	var b bytes.Buffer
	if err := tmpl.Execute(&b, operations); err != nil {
		return nil, err
	}
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("%v\n%s", err, b.Bytes())
	}
	return src, nil
}

// GoName is the member's name in the SDK's Go input type.
func (m member) GoName() string {
	r := []rune(m.Model)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// Clone is the expression that deep-copies the member of in.
func (m member) Clone() string {
	field := "in." + m.GoName()
	switch m.Kind {
	case stringKind:
		return "cloneString(" + field + ")"
	case timestampKind:
		return "cloneTime(" + field + ")"
	}
	switch m.Shape {
	case "Filter":
		return "cloneFilters(" + field + ")"
	case "ProjectListFilter":
		return "cloneProjectListFilters(" + field + ")"
	}
	return "cloneSlice(" + field + ")" // a list of values that point to nothing
}

// Checks are the expressions that return what is wrong with the member of
// in, or "", in the order they run: presence, then the model's bounds.
func (m member) Checks() []string {
	field := fmt.Sprintf("%q, in.%s", m.GoName(), m.GoName())
	var out []string
	switch {
	case m.Required && m.Kind == stringKind:
		out = append(out, "requiredString("+field+")")
	case m.Required && m.Kind == timestampKind:
		out = append(out, "requiredTime("+field+")")
	}
	switch {
	case m.Kind == stringKind && (m.Min > 0 || m.Max > 0):
		out = append(out, fmt.Sprintf("stringLength(%s, %d, %d)", field, m.Min, m.Max))
	case m.Kind == listKind && m.Max > 0:
		out = append(out, fmt.Sprintf("listLength(%q, len(in.%s), %d)", m.GoName(), m.GoName(), m.Max))
	}
	return out
}

// Checks are the operation's checks: its members', then the window's.
func (o operation) Checks() []string {
	var out []string
	for _, m := range o.Members {
		out = append(out, m.Checks()...)
	}
	if o.Window {
		out = append(out, "window(in.StartTime, in.EndTime)")
	}
	return out
}

// Bounds states the model's length bounds on the members as a doc phrase.
func (o operation) Bounds() string {
	var parts []string
	for _, m := range o.Members {
		name := "params." + m.GoName()
		switch {
		case m.Kind == stringKind && m.Max > 0:
			parts = append(parts, fmt.Sprintf("%s has %d to %d characters", name, m.Min, m.Max))
		case m.Kind == stringKind && m.Min > 0:
			parts = append(parts, fmt.Sprintf("%s has at least %d characters", name, m.Min))
		case m.Kind == listKind && m.Max > 0:
			parts = append(parts, fmt.Sprintf("%s has at most %d member", name, m.Max))
		}
	}
	return phrase(parts)
}

// Lower is the operation's name with a lower-case first letter.
func (o operation) Lower() string { return strings.ToLower(o.Name[:1]) + o.Name[1:] }

// Required lists the required members' Go names as a doc phrase.
func (o operation) Required() string {
	var names []string
	for _, m := range o.Members {
		if m.Required {
			names = append(names, "params."+m.GoName())
		}
	}
	return phrase(names)
}

// Optional lists the optional members' Go names as a doc phrase.
func (o operation) Optional() string {
	var names []string
	for _, m := range o.Members {
		if !m.Required {
			names = append(names, "params."+m.GoName())
		}
	}
	return phrase(names)
}

// TypeDoc is the doc comment of the operation's paginator type.
func (o operation) TypeDoc() string {
	return comment(fmt.Sprintf("%sPaginator pages through %s: %s. Its contract is [Paginator]'s.", o.Name, o.Name, o.Doc))
}

// ConstructorDoc is the first paragraph of the constructor's doc comment:
// what differs per operation.
func (o operation) ConstructorDoc() string {
	text := fmt.Sprintf("New%sPaginator returns a paginator over %s (%s, POST %s).", o.Name, o.Doc, o.Name, o.Path)
	if r := o.Required(); r != "" {
		text += " " + r + " " + verb(r) + " required."
	}
	if b := o.Bounds(); b != "" {
		text += " When set, " + b + " (the model's bounds; a character is a Unicode code point, as botocore counts)."
	}
	if o.Window {
		text += " params.StartTime must be before params.EndTime."
	}
	if opt := o.Optional(); opt != "" {
		text += " " + opt + " " + verb(opt) + " sent unchanged."
	}
	if o.MaxResults > 0 {
		text += fmt.Sprintf(" PageSize and params.MaxResults are 1..%d.", o.MaxResults)
	} else {
		text += " It has no page size."
	}
	text += fmt.Sprintf(" params.NextToken, a raw service token, has 1..%d characters.", o.MaxToken)
	return comment(text)
}

// verb is "is" for one name, "are" for several.
func verb(names string) string {
	if strings.Contains(names, " and ") {
		return "are"
	}
	return "is"
}

// comment wraps text into // lines of at most 76 columns.
func comment(text string) string {
	var b strings.Builder
	line := "//"
	for _, w := range strings.Fields(text) {
		if len(line)+1+len(w) > 76 && line != "//" {
			b.WriteString(line + "\n")
			line = "//"
		}
		line += " " + w
	}
	b.WriteString(line)
	return b.String()
}

func phrase(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

const header = `// Code generated by paginatorgen (internal/paginatorgen) from its table of the service model's facts. DO NOT EDIT.

package devsessions
`

var clientTmpl = template.Must(template.New("client").Parse(header + `
import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
)
{{range .}}
// {{.Name}}APIClient is the one method [New{{.Name}}Paginator] needs.
// *codecatalyst.Client satisfies it unchanged; what a paginator promises an
// implementation is in the doc of [Paginator].
type {{.Name}}APIClient interface {
	{{.Name}}(ctx context.Context, params *codecatalyst.{{.Name}}Input,
		optFns ...func(*codecatalyst.Options)) (*codecatalyst.{{.Name}}Output, error)
}
{{end}}
// The SDK's client satisfies every interface above.
var (
{{- range .}}
	_ {{.Name}}APIClient = (*codecatalyst.Client)(nil)
{{- end}}
)
`))

var clientTestTmpl = template.Must(template.New("client_test").Parse(strings.Replace(header, "package devsessions", "package devsessions_test", 1) + `
import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"

	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// wrappedClient lets a test see every call of any operation: before runs
// ahead of each call with the input and the number of optFns.
type wrappedClient struct {
	*devsessionstest.Client
	before func(ctx context.Context, in any, optFns int)
}

// nilClient returns no output and no error, for every operation.
type nilClient struct{}
{{range .}}
func (w *wrappedClient) {{.Name}}(ctx context.Context, in *codecatalyst.{{.Name}}Input,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.{{.Name}}Output, error) {
	w.before(ctx, in, len(optFns))
	return w.Client.{{.Name}}(ctx, in, optFns...)
}

func (nilClient) {{.Name}}(context.Context, *codecatalyst.{{.Name}}Input,
	...func(*codecatalyst.Options)) (*codecatalyst.{{.Name}}Output, error) {
	return nil, nil
}
{{end}}`))

var operationsTmpl = template.Must(template.New("operations").Parse(header + `
import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"

	"github.com/codecatalyst-contrib/devsessions/internal/paginate"
)
{{range .}}
{{.TypeDoc}}
type {{.Name}}Paginator = Paginator[codecatalyst.{{.Name}}Output, types.{{.Item}}]
{{if .MaxResults}}
// {{.Name}}PaginatorOptions configures a [{{.Name}}Paginator]; see
// [PaginatorOptions].
type {{.Name}}PaginatorOptions = PaginatorOptions
{{else}}
// {{.Name}}PaginatorOptions configures a [{{.Name}}Paginator]: the fields
// of [PaginatorOptions], with the same meaning and defaults, but PageSize,
// which {{.Name}} does not have (the model gives it no limit key, and the
// AWS CLI refuses --page-size for it).
type {{.Name}}PaginatorOptions struct {
	// MaxItems caps the items delivered; 0 means no cap.
	MaxItems int32
	// StartingToken resumes a listing; "" means params.NextToken, else the
	// first page.
	StartingToken string
	// StopOnDuplicateToken ends paging quietly on a repeated token instead
	// of reporting ErrDuplicateToken.
	StopOnDuplicateToken bool
	// Prefetch is how many pages loops may request ahead, 0..100.
	Prefetch int
}

func (o {{.Name}}PaginatorOptions) engine() paginate.Options {
	return paginate.Options{MaxItems: o.MaxItems, StartingToken: o.StartingToken,
		StopOnDuplicateToken: o.StopOnDuplicateToken, Prefetch: o.Prefetch}
}
{{end}}
{{.ConstructorDoc}}
//
// It copies params deeply (the caller's value, and everything it points to,
// are never read again or written) and applies optFns to a zero
// [{{.Name}}PaginatorOptions]. It never fails: a nil client (or a nil
// pointer) or params, a missing required field, an option or params field
// outside its bounds or an unusable StartingToken is reported by the first
// NextPage (or iterator step), before any request, as an error matching
// [ErrInvalidParameter] or [ErrInvalidStartingToken]. Such an error is
// permanent. The starting position is StartingToken if set, else
// params.NextToken, else the first page.
func New{{.Name}}Paginator(client {{.Name}}APIClient, params *codecatalyst.{{.Name}}Input,
	optFns ...func(*{{.Name}}PaginatorOptions)) *{{.Name}}Paginator {
	var o {{.Name}}PaginatorOptions
	for _, fn := range optFns {
		fn(&o)
	}
	var in codecatalyst.{{.Name}}Input
	start := paginate.Start{Invalid: checkClient(client, params != nil)}
	if params != nil {
		in = copy{{.Name}}Input(params)
		start.NextToken{{if .MaxResults}}, start.MaxResults{{end}} = params.NextToken{{if .MaxResults}}, params.MaxResults{{end}}
		if start.Invalid == "" {
			start.Invalid = check{{.Name}}Input(params)
		}
	}
	p := new({{.Name}}Paginator)
	p.e.Init({{.Lower}}Spec, func(ctx context.Context, next *string, size *int32,
		optFns []func(*codecatalyst.Options)) (*codecatalyst.{{.Name}}Output, error) {
		req := in
		req.NextToken{{if .MaxResults}}, req.MaxResults = next, size{{else}} = next{{end}}
		return client.{{.Name}}(ctx, &req, optFns...)
	}, start, o.engine())
	return p
}

// {{.Lower}}Spec is what the engine knows of {{.Name}}.
var {{.Lower}}Spec = &paginate.Spec[codecatalyst.{{.Name}}Output, types.{{.Item}}]{
	Operation: "{{.Name}}", MaxPageSize: {{.MaxResults}}, MaxTokenLength: {{.MaxToken}},
	Page: func(out *codecatalyst.{{.Name}}Output) (*[]types.{{.Item}}, *string) { return &out.Items, out.NextToken },
}

// copy{{.Name}}Input returns a deep copy of in without NextToken{{if .MaxResults}} and
// MaxResults{{end}}.
func copy{{.Name}}Input(in *codecatalyst.{{.Name}}Input) codecatalyst.{{.Name}}Input {
	return codecatalyst.{{.Name}}Input{ {{- range .Members}}
		{{.GoName}}: {{.Clone}},{{end}}
	}
}

// check{{.Name}}Input returns what is wrong with in, or "".
func check{{.Name}}Input(in *codecatalyst.{{.Name}}Input) string {
	{{- if .Checks}}
	return firstProblem({{range .Checks}}
		{{.}},{{end}}
	)
	{{- else}}
	return ""
	{{- end}}
}
{{end}}`))
