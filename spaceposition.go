package devsessions

import (
	"crypto/sha256"
	"slices"
)

// fingerprintSize is the bytes of a fingerprint: 48 bits, so that two ids
// of a space (or two sessions of a dev environment) share one with a
// chance of about n²/2⁴⁹ (1 in 500 million for 1,000 ids).
const fingerprintSize = 6

// fingerprint stands for a dev environment's or a session's id in a
// position: the first bytes of the id's SHA-256.
type fingerprint [fingerprintSize]byte

func fingerprintOf(id string) fingerprint {
	h := sha256.Sum256([]byte(id))
	return fingerprint(h[:fingerprintSize])
}

// spacePosition is what a space-wide listing has delivered: the dev
// environments delivered in full and, for those delivered in part, which of
// their sessions. It keeps no service token: a run lists the dev
// environments from the first page and delivers what is not recorded here.
type spacePosition struct {
	space   string
	project *string

	full    []fingerprint // delivered in full, in the order delivered
	fullSet map[fingerprint]struct{}
	partial []*partialEnv // delivered in part, in the order first delivered
	partOf  map[fingerprint]*partialEnv
}

// partialEnv is a dev environment delivered in part.
type partialEnv struct {
	env      fingerprint
	sessions []fingerprint // delivered, in the order delivered
	set      map[fingerprint]struct{}
}

func newSpacePosition(space string, project *string) *spacePosition {
	return &spacePosition{space: space, project: cloneString(project),
		fullSet: map[fingerprint]struct{}{}, partOf: map[fingerprint]*partialEnv{}}
}

func (pe *partialEnv) has(session fingerprint) bool {
	_, ok := pe.set[session]
	return ok
}

// inFull reports whether the dev environment was delivered in full.
func (p *spacePosition) inFull(env fingerprint) bool {
	_, ok := p.fullSet[env]
	return ok
}

// inPart returns the record of a dev environment delivered in part, or nil.
func (p *spacePosition) inPart(env fingerprint) *partialEnv { return p.partOf[env] }

// delivered reports whether the session of the dev environment was
// delivered.
func (p *spacePosition) delivered(env, session fingerprint) bool {
	if p.inFull(env) {
		return true
	}
	pe := p.inPart(env)
	return pe != nil && pe.has(session)
}

// markSession records a session of a dev environment as delivered.
func (p *spacePosition) markSession(env, session fingerprint) {
	pe := p.inPart(env)
	if pe == nil {
		pe = &partialEnv{env: env, set: map[fingerprint]struct{}{}}
		p.partial = append(p.partial, pe)
		p.partOf[env] = pe
	}
	if !pe.has(session) {
		pe.set[session] = struct{}{}
		pe.sessions = append(pe.sessions, session)
	}
}

// markFull records a dev environment as delivered in full, forgetting its
// sessions.
func (p *spacePosition) markFull(env fingerprint) {
	if p.partOf[env] != nil {
		delete(p.partOf, env)
		p.partial = slices.DeleteFunc(p.partial, func(pe *partialEnv) bool { return pe.env == env })
	}
	if !p.inFull(env) {
		p.fullSet[env] = struct{}{}
		p.full = append(p.full, env)
	}
}
