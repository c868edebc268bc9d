package devsessions

import (
	"context"
	"fmt"
	"hash/maphash"
	"iter"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"

	"github.com/codecatalyst-contrib/devsessions/internal/token"
)

// maxPageSize is the model's upper bound on maxResults.
const maxPageSize = 200

// ListDevEnvironmentSessionsPaginator pages through ListDevEnvironmentSessions.
//
// Its position is always the first item not yet delivered: every page, item
// or error it hands out moves that position exactly past what was handed
// out, and [ListDevEnvironmentSessionsPaginator.ResumeToken] encodes it.
//
// A paginator is not safe for concurrent use. Without Prefetch it holds at
// most one fetched page; it never requests a page twice in one run unless a
// request failed. To detect repeated tokens it keeps a 64-bit fingerprint of
// every token it sends (16 to 64 bytes a page).
type ListDevEnvironmentSessionsPaginator struct {
	client   ListDevEnvironmentSessionsAPIClient
	params   codecatalyst.ListDevEnvironmentSessionsInput // private copy, MaxResults and NextToken cleared
	options  ListDevEnvironmentSessionsPaginatorOptions
	pageSize int32 // maxResults to send without a cap; 0 = omit

	err         error // permanent: invalid input, or a repeated token
	errReported bool  // err has been returned once: HasMorePages is false

	pos       token.Position // first item not yet delivered
	delivered int32          // items delivered by this run
	stopped   bool           // no page will be fetched any more
	end       bool           // the service has no items after pos
	pages     int            // pages fetched, for error messages

	out     *codecatalyst.ListDevEnvironmentSessionsOutput // fetched page not yet fully delivered
	pending []types.DevEnvironmentSessionSummary           // its items still to deliver
	cut     bool                                           // MaxItems cut the page before its end

	ahead []*codecatalyst.ListDevEnvironmentSessionsOutput // pages prefetched after out, in order
	src   func() error                                     // the running prefetcher's page source, if any
	reqs  []request                                        // fresh inputs for the next requests

	seed      maphash.Seed
	seen      fingerprints // of the tokens this run has sent
	dup       bool         // the fetched page's nextToken was already sent
	nextHash  uint64       // fingerprint of the fetched page's nextToken
	posHash   uint64       // fingerprint of pos.NextToken, when posHashed
	posHashed bool
}

// NewListDevEnvironmentSessionsPaginator returns a paginator over the
// sessions of one dev environment. It copies params (the caller's value is
// never read again or written) and applies optFns to a zero
// [ListDevEnvironmentSessionsPaginatorOptions].
//
// It never fails: a nil client or params, an empty SpaceName, ProjectName
// or DevEnvironmentId, a PageSize or params.MaxResults outside 1..200, a
// negative MaxItems or an unusable StartingToken is reported by the first
// NextPage (or iterator step), before any request, as an error matching
// [ErrInvalidParameter] or [ErrInvalidStartingToken]. Such an error is
// permanent.
//
// The starting position is StartingToken if set, else params.NextToken (a raw
// service token), else the first page.
func NewListDevEnvironmentSessionsPaginator(client ListDevEnvironmentSessionsAPIClient,
	params *codecatalyst.ListDevEnvironmentSessionsInput,
	optFns ...func(*ListDevEnvironmentSessionsPaginatorOptions)) *ListDevEnvironmentSessionsPaginator {
	p := &ListDevEnvironmentSessionsPaginator{client: client, seed: maphash.MakeSeed()}
	for _, fn := range optFns {
		fn(&p.options)
	}
	if params != nil {
		p.params = *params
		p.params.MaxResults, p.params.NextToken = nil, nil
	}
	p.err = p.setup(params)
	return p
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidParameter}, args...)...)
}

// setup validates the input and sets the starting position and page size.
func (p *ListDevEnvironmentSessionsPaginator) setup(params *codecatalyst.ListDevEnvironmentSessionsInput) error {
	switch {
	case p.client == nil:
		return invalid("client is nil")
	case params == nil:
		return invalid("params is nil")
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"SpaceName", params.SpaceName}, {"ProjectName", params.ProjectName}, {"DevEnvironmentId", params.DevEnvironmentId}} {
		if f.v == nil || *f.v == "" {
			return invalid("params.%s is required and must not be empty", f.name)
		}
	}
	o := p.options
	switch {
	case o.MaxItems < 0:
		return invalid("MaxItems must not be negative (0 means no cap), got %d", o.MaxItems)
	case o.PageSize < 0 || o.PageSize > maxPageSize:
		return invalid("PageSize must be between 1 and %d (0 means params.MaxResults), got %d", maxPageSize, o.PageSize)
	case o.Prefetch < 0 || o.Prefetch > maxPrefetch:
		return invalid("Prefetch must be between 0 and %d (0 means no prefetch), got %d", maxPrefetch, o.Prefetch)
	case o.PageSize == 0 && params.MaxResults != nil && (*params.MaxResults < 1 || *params.MaxResults > maxPageSize):
		return invalid("params.MaxResults must be between 1 and %d (nil means the service default), got %d", maxPageSize, *params.MaxResults)
	}
	p.pageSize = o.PageSize
	if p.pageSize == 0 && params.MaxResults != nil {
		p.pageSize = *params.MaxResults
	}
	switch {
	case o.StartingToken != "":
		pos, err := token.Decode(o.StartingToken)
		if err != nil {
			return fmt.Errorf("%w: StartingToken: %v", ErrInvalidStartingToken, err)
		}
		p.pos = pos
	case params.NextToken != nil:
		if n := utf8.RuneCountInString(*params.NextToken); n < 1 || n > token.MaxServiceToken {
			return invalid("params.NextToken must have 1 to %d characters (nil means the first page), got %d", token.MaxServiceToken, n)
		}
		t := *params.NextToken
		p.pos.NextToken = &t
	}
	return nil
}

// HasMorePages reports whether NextPage has something to return: a page, or
// an error not yet reported. It is false after the last page, after MaxItems
// is reached, and once a permanent error (invalid input, a repeated token)
// has been returned. A failed request does not change it.
func (p *ListDevEnvironmentSessionsPaginator) HasMorePages() bool {
	if p.err != nil {
		return !p.errReported
	}
	return p.out != nil || !p.stopped
}

// NextPage returns the next page: the service's output with Items cut to
// what this run delivers (the items a starting token skips and those past
// MaxItems are removed; a page left partly unread by Items continues where
// it stopped, without a new request). The output's NextToken is the
// service's own; keep [ListDevEnvironmentSessionsPaginator.ResumeToken]
// instead, which is exact to the item.
//
// A page with no items but a nextToken is returned as is, and paging goes
// on. An empty or absent nextToken ends paging.
//
// A failed request changes nothing: calling NextPage again sends the same
// request. A cancelled ctx sends nothing. Service errors are wrapped with
// %w, so [errors.As] finds smithy.APIError and the typed CodeCatalyst
// exceptions. After the last page NextPage returns [ErrNoMorePages]. optFns
// are passed to the client on every request.
func (p *ListDevEnvironmentSessionsPaginator) NextPage(ctx context.Context,
	optFns ...func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	if p.src != nil { // called inside a prefetching loop: take its pages
		return p.nextPage(p.src)
	}
	return p.nextPage(func() error { return p.fetch(ctx, optFns) })
}

// nextPage is NextPage with the page source given.
func (p *ListDevEnvironmentSessionsPaginator) nextPage(fetch func() error) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	if p.err != nil {
		p.errReported = true
		return nil, p.err
	}
	if p.out == nil {
		if p.stopped {
			return nil, ErrNoMorePages
		}
		if err := fetch(); err != nil {
			return nil, err
		}
	}
	out := p.out
	if len(p.pending) != len(out.Items) {
		c := *out
		c.Items = p.pending
		out = &c
	}
	p.deliverPage()
	return out, nil
}

// ResumeToken returns the token that resumes exactly at the first item this
// paginator has not delivered, for StartingToken here or --starting-token in
// the AWS CLI. It is botocore's encoding byte for byte: at a page boundary
// the very string the AWS CLI prints; inside a page (after MaxItems cut it,
// or after a break out of Items) it also carries boto_truncate_amount.
// Before the first page it encodes the starting position.
//
// It returns "" when nothing remains, when the input is invalid, and once
// the service has repeated a token (resuming from a repeated token would
// deliver items again); until that page is fully delivered, it still
// points inside it.
func (p *ListDevEnvironmentSessionsPaginator) ResumeToken() string {
	if p.end || (p.err != nil && !p.dup) || (p.dup && p.out == nil) {
		return ""
	}
	return token.Encode(p.pos)
}

// Pages returns an iterator over the remaining pages, as NextPage returns
// them. On an error it yields (nil, err) once and stops. The iterator is
// single-use; calling Pages again continues from the paginator's position.
func (p *ListDevEnvironmentSessionsPaginator) Pages(ctx context.Context,
	optFns ...func(*codecatalyst.Options)) iter.Seq2[*codecatalyst.ListDevEnvironmentSessionsOutput, error] {
	return func(yield func(*codecatalyst.ListDevEnvironmentSessionsOutput, error) bool) {
		fetch, stop := p.fetcher(ctx, optFns)
		defer stop()
		for p.HasMorePages() {
			out, err := p.nextPage(fetch)
			if !yield(out, err) || err != nil {
				return
			}
		}
	}
}

// Items returns an iterator over the remaining items, fetching pages as
// needed. An item counts as delivered when it is yielded, so after a break
// ResumeToken points at the next item, and the next NextPage, Pages or
// Items call continues there, from the page already fetched. On an error it
// yields (zero, err) once, after every item before it, and stops. The
// iterator is single-use; calling Items again continues from the
// paginator's position.
func (p *ListDevEnvironmentSessionsPaginator) Items(ctx context.Context,
	optFns ...func(*codecatalyst.Options)) iter.Seq2[types.DevEnvironmentSessionSummary, error] {
	return func(yield func(types.DevEnvironmentSessionSummary, error) bool) {
		fetch, stop := p.fetcher(ctx, optFns)
		defer stop()
		for p.HasMorePages() {
			if p.out == nil {
				if p.err != nil {
					p.errReported = true
					yield(types.DevEnvironmentSessionSummary{}, p.err)
					return
				}
				if err := fetch(); err != nil {
					yield(types.DevEnvironmentSessionSummary{}, err)
					return
				}
			}
			// Deliver the page item by item; the state moves past each
			// item before it is yielded, so a break leaves it exact.
			out, items := p.out, p.pending
			last := len(items) - 1
			if last < 0 {
				p.finishPage()
				continue
			}
			for i := range items {
				p.pending = items[i+1:]
				p.delivered++
				p.pos.Skip++
				if i == last {
					p.finishPage()
				}
				if !yield(items[i], nil) {
					return
				}
				if p.out != out || len(p.pending) != last-i {
					break // the loop body moved the paginator (NextPage, say)
				}
			}
		}
	}
}

// Collect returns every remaining item. On an error it returns the items
// delivered before it together with the error; ResumeToken then continues
// after the last of them.
func (p *ListDevEnvironmentSessionsPaginator) Collect(ctx context.Context,
	optFns ...func(*codecatalyst.Options)) ([]types.DevEnvironmentSessionSummary, error) {
	var all []types.DevEnvironmentSessionSummary
	fetch, stop := p.fetcher(ctx, optFns)
	defer stop()
	for p.HasMorePages() {
		out, err := p.nextPage(fetch)
		if err != nil {
			return all, err
		}
		all = append(all, out.Items...)
	}
	return all, nil
}

// request is one request's input with its maxResults, allocated together.
type request struct {
	in   codecatalyst.ListDevEnvironmentSessionsInput
	size int32
}

// fetch obtains the page at p.pos (from pages prefetched earlier, else with
// a request) and buffers what this run delivers of it. On error it changes
// no state.
func (p *ListDevEnvironmentSessionsPaginator) fetch(ctx context.Context, optFns []func(*codecatalyst.Options)) error {
	if len(p.ahead) > 0 {
		out := p.ahead[0]
		p.ahead[0] = nil
		p.ahead = p.ahead[1:]
		p.accept(out)
		return nil
	}
	out, err := p.call(ctx, optFns)
	if err != nil {
		return err
	}
	p.accept(out)
	return nil
}

// call sends the request for the page at p.pos. It changes no state.
func (p *ListDevEnvironmentSessionsPaginator) call(ctx context.Context,
	optFns []func(*codecatalyst.Options)) (*codecatalyst.ListDevEnvironmentSessionsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("devsessions: page %d not requested: %w", p.pages+1, err)
	}
	if len(p.reqs) == 0 { // allocate inputs 8 at a time; each is used once
		p.reqs = make([]request, min(8, p.pages+1))
	}
	r := &p.reqs[0]
	p.reqs = p.reqs[1:]
	*r = request{in: p.params, size: p.requestSize()}
	r.in.NextToken = p.pos.NextToken
	if r.size > 0 {
		r.in.MaxResults = &r.size
	}
	out, err := p.client.ListDevEnvironmentSessions(ctx, &r.in, optFns...)
	if err != nil {
		return nil, fmt.Errorf("devsessions: page %d: %w", p.pages+1, err)
	}
	if out == nil {
		return nil, fmt.Errorf("devsessions: page %d: the client returned no output and no error", p.pages+1)
	}
	return out, nil
}

// accept buffers the part of out, the page at p.pos, that this run delivers.
func (p *ListDevEnvironmentSessionsPaginator) accept(out *codecatalyst.ListDevEnvironmentSessionsOutput) {
	p.pages++
	if t := p.pos.NextToken; t != nil {
		if !p.posHashed {
			p.posHash = maphash.String(p.seed, *t)
		}
		p.seen.add(p.posHash)
	}
	p.dup = false
	if t := out.NextToken; t != nil && *t != "" {
		p.nextHash = maphash.String(p.seed, *t)
		p.dup = p.seen.has(p.nextHash)
	}
	items := out.Items
	items = items[min(p.pos.Skip, len(items)):]
	p.cut = false
	if p.options.MaxItems > 0 {
		if rem := int(p.options.MaxItems - p.delivered); len(items) > rem {
			items, p.cut = items[:rem], true
		}
	}
	p.out, p.pending = out, items
}

// deliverPage counts the rest of the buffered page as delivered.
func (p *ListDevEnvironmentSessionsPaginator) deliverPage() {
	p.delivered += int32(len(p.pending))
	p.pos.Skip += len(p.pending)
	p.finishPage()
}

// requestSize is the maxResults to send: the page size (widened by the
// items the position skips when they would fill the whole page), and under
// MaxItems no more than the items still needed plus those skipped.
func (p *ListDevEnvironmentSessionsPaginator) requestSize() int32 {
	size := p.pageSize
	if size > 0 && p.pos.Skip >= int(size) {
		size = int32(min(p.pos.Skip+int(size), maxPageSize))
	}
	if p.options.MaxItems > 0 {
		need := int64(p.options.MaxItems-p.delivered) + int64(p.pos.Skip)
		if size == 0 || int64(size) > need {
			size = int32(min(need, maxPageSize))
		}
	}
	return size
}

// finishPage moves the position past the fetched page once all of it that
// this run delivers has been delivered, and decides whether paging goes on.
func (p *ListDevEnvironmentSessionsPaginator) finishPage() {
	out := p.out
	p.out, p.pending = nil, nil
	if p.cut { // MaxItems reached inside the page: resume inside it
		p.stopped = true
		return
	}
	// Every item of the page is now behind the position; a skip longer than
	// the page carries over to the next one.
	p.pos = token.Position{NextToken: out.NextToken, Skip: max(p.pos.Skip-len(out.Items), 0)}
	p.posHash, p.posHashed = p.nextHash, true
	switch {
	case out.NextToken == nil || *out.NextToken == "":
		p.pos, p.stopped, p.end = token.Position{}, true, true
	case p.options.MaxItems > 0 && p.delivered >= p.options.MaxItems:
		p.stopped = true
	case p.dup && p.options.StopOnDuplicateToken:
		p.stopped = true
	case p.dup:
		p.stopped = true
		p.err = fmt.Errorf("%w: page %d's nextToken was already sent in this run", ErrDuplicateToken, p.pages)
	}
}
