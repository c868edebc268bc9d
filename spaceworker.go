package devsessions

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// slot is one dev environment of the window. Its worker (when its sessions
// are asked for) appends pages and then ends it; the loop takes the pages as
// they come.
type slot struct {
	env   types.DevEnvironmentSummary
	fp    fingerprint
	asked bool // its status is in Statuses: its sessions are asked for
	taken int  // pages the loop has delivered (the loop's own)

	mu        sync.Mutex
	pages     [][]types.DevEnvironmentSessionSummary
	ended     bool  // the worker is done (always true when !asked)
	err       error // listing its sessions failed
	unsettled bool  // its listing changed at every reading
	gone      bool  // deleted while listed (ResourceNotFoundException): no more sessions
	panicked  bool
	panicVal  any
	ready     chan struct{} // cap 1: a page or the end arrived
}

func newSlot(env types.DevEnvironmentSummary, asked bool) *slot {
	sl := &slot{env: env, fp: fingerprintOf(aws.ToString(env.Id)), asked: asked, ready: make(chan struct{}, 1)}
	sl.ended = !asked
	return sl
}

func (sl *slot) signal() {
	select {
	case sl.ready <- struct{}{}:
	default:
	}
}

func (sl *slot) add(items []types.DevEnvironmentSessionSummary) {
	sl.mu.Lock()
	sl.pages = append(sl.pages, items)
	sl.mu.Unlock()
	sl.signal()
}

func (sl *slot) end(err error, unsettled, panicked bool, v any) {
	sl.mu.Lock()
	sl.ended, sl.err, sl.unsettled, sl.panicked, sl.panicVal = true, err, unsettled, panicked, v
	sl.mu.Unlock()
	sl.signal()
}

// endGone ends a dev environment deleted while its sessions were listed.
func (sl *slot) endGone() {
	sl.mu.Lock()
	sl.ended, sl.gone = true, true
	sl.mu.Unlock()
	sl.signal()
}

// state returns the pages not yet taken and whether the worker is done.
func (sl *slot) state() (pages [][]types.DevEnvironmentSessionSummary, ended bool) {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	return sl.pages[sl.taken:], sl.ended
}

func sessionID(s types.DevEnvironmentSessionSummary) *string { return s.Id }

// errGone is a check's answer for a dev environment deleted meanwhile.
var errGone = errors.New("dev environment gone")

// work lists one dev environment's sessions into its slot, page by page,
// and checks a reading of several pages when it ends by reading its pages
// again, checkFlight at a time (see readings; the sender keeps the session
// requests of the run within Concurrency); while a reading is not complete it
// lists again from the first page, and the loop passes over the sessions it
// has delivered. A dev environment deleted since it was listed
// (ResourceNotFoundException) has no more sessions.
func (r *run) work(sl *slot) {
	defer r.wg.Done()
	defer func() {
		if v := recover(); v != nil {
			sl.end(nil, false, true, v)
		}
	}()
	project := sl.env.ProjectName
	if project == nil {
		project = r.s.params.ProjectName // a project's listing may leave it out
	}
	if project == nil || sl.env.Id == nil {
		sl.end(fmt.Errorf("ListDevEnvironments gave no id or projectName to list its sessions by"), false, false, nil)
		return
	}
	in := codecatalyst.ListDevEnvironmentSessionsInput{SpaceName: r.s.params.SpaceName, ProjectName: project, DevEnvironmentId: sl.env.Id}
	var pageSize *int32
	if n := r.s.opts.SessionPageSize; n > 0 {
		pageSize = &n
	}
	reread := func(ctx context.Context, tok *string) (uint64, bool, error) {
		again := in
		again.NextToken, again.MaxResults = tok, pageSize
		out, err := r.send.ListDevEnvironmentSessions(ctx, &again)
		var notFound *types.ResourceNotFoundException
		switch {
		case errors.As(err, &notFound):
			return 0, false, errGone
		case err != nil:
			return 0, false, err
		}
		return pageHash(pageIDs(out.Items, sessionID)), out.NextToken != nil, nil
	}
	var rs readings
	for {
		rs.start()
		p := NewListDevEnvironmentSessionsPaginator(r.send, &in, func(o *ListDevEnvironmentSessionsPaginatorOptions) {
			o.PageSize = r.s.opts.SessionPageSize
		})
		for p.HasMorePages() {
			out, err := p.NextPage(r.ctx)
			var notFound *types.ResourceNotFoundException
			switch {
			case errors.As(err, &notFound):
				sl.endGone()
				return
			case err != nil:
				sl.end(err, false, false, nil)
				return
			}
			if len(out.Items) > 0 {
				r.users.start(aws.ToString(sl.env.CreatorId)) // while the listing goes on
				sl.add(out.Items)
			}
			rs.add(pageIDs(out.Items, sessionID), out.NextToken)
		}
		var checkErr error
		complete, again := rs.end(func(pages []pageRead) (bool, error) {
			same, err := recheck(r.ctx, pages, checkFlight, reread)
			checkErr = err
			return same, err
		})
		if errors.Is(checkErr, errGone) {
			sl.endGone()
			return
		}
		if !again {
			sl.end(nil, !complete, false, nil)
			return
		}
	}
}
