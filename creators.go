package devsessions

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
)

// GetUserDetailsAPIClient is the operation that resolves a dev
// environment's creatorId (SpaceSessionsOptions.ResolveCreators). The real
// *codecatalyst.Client and devsessionstest's fakes have it.
type GetUserDetailsAPIClient interface {
	GetUserDetails(ctx context.Context, params *codecatalyst.GetUserDetailsInput,
		optFns ...func(*codecatalyst.Options)) (*codecatalyst.GetUserDetailsOutput, error)
}

var _ GetUserDetailsAPIClient = (*codecatalyst.Client)(nil)

// User is the user a dev environment's creatorId names (a dev environment
// belongs to the user who created it).
type User struct {
	// ID is the dev environment's creatorId, the user's id: set whenever
	// the dev environment has one, resolved or not.
	ID string
	// UserName, DisplayName and Email are GetUserDetails' userName,
	// displayName and primaryEmail. They are "" unless the user was
	// resolved (ResolveCreators is set and GetUserDetails answered).
	UserName, DisplayName, Email string
}

// resolver resolves the creatorIds of one run: each distinct id once, with
// GetUserDetails, at most limit at a time, concurrently with the listing,
// with the run's optFns (the pacer's gate among them). A user it cannot
// resolve is its id only. Every goroutine it starts has ended when wait
// returns.
type resolver struct {
	client GetUserDetailsAPIClient // the run's sender: its optFns, its pacing, its counts
	ctx    context.Context
	sem    chan struct{}
	wg     sync.WaitGroup

	mu       sync.Mutex
	users    map[string]*resolving
	panicked bool
	panicVal any
}

// resolving is one user being resolved; user is written before done is
// closed.
type resolving struct {
	done chan struct{}
	user User
}

func newResolver(ctx context.Context, client GetUserDetailsAPIClient, limit int) *resolver {
	return &resolver{client: client, ctx: ctx, sem: make(chan struct{}, limit), users: map[string]*resolving{}}
}

// start begins resolving id, unless it is "", known or being resolved. A
// nil resolver does nothing.
func (r *resolver) start(id string) *resolving {
	if r == nil || id == "" {
		return nil
	}
	r.mu.Lock()
	if p := r.users[id]; p != nil {
		r.mu.Unlock()
		return p
	}
	p := &resolving{done: make(chan struct{}), user: User{ID: id}}
	r.users[id] = p
	r.mu.Unlock()
	r.wg.Add(1)
	go r.resolve(id, p)
	return p
}

func (r *resolver) resolve(id string, p *resolving) {
	defer r.wg.Done()
	defer close(p.done)
	defer func() {
		if v := recover(); v != nil {
			r.mu.Lock()
			if !r.panicked {
				r.panicked, r.panicVal = true, v
			}
			r.mu.Unlock()
		}
	}()
	select {
	case r.sem <- struct{}{}:
	case <-r.ctx.Done():
		return
	}
	defer func() { <-r.sem }()
	out, err := r.client.GetUserDetails(r.ctx, &codecatalyst.GetUserDetailsInput{Id: aws.String(id)})
	if err != nil || out == nil {
		return // not an error of the listing: the id only
	}
	u := User{ID: id, UserName: aws.ToString(out.UserName), DisplayName: aws.ToString(out.DisplayName)}
	if out.PrimaryEmail != nil {
		u.Email = aws.ToString(out.PrimaryEmail.Email)
	}
	p.user = u
}

// user returns id's user, waiting for its resolution (started if it was
// not), or its id only when the run's ctx ends first. A nil resolver gives
// the id only.
func (r *resolver) user(id *string) User {
	p := r.start(aws.ToString(id))
	if p == nil {
		return User{ID: aws.ToString(id)}
	}
	select {
	case <-p.done:
		return p.user
	case <-r.ctx.Done():
		return User{ID: aws.ToString(id)}
	}
}

// wait waits for every resolution started (the run's ctx must be done or
// ending), and returns the client's first panic on one of them.
func (r *resolver) wait() (v any, panicked bool) {
	if r == nil {
		return nil, false
	}
	r.wg.Wait()
	return r.panicVal, r.panicked
}
