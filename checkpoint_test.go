package devsessions_test

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// checkpointOf returns the checkpoint of a watcher after one poll of a
// space with one dev environment holding n sessions named by id and
// started at start(i).
func checkpointOf(t *testing.T, n int, id func(i int) string, start func(i int) time.Time) string {
	t.Helper()
	env := devsessionstest.DemoDevEnvironment
	sessions := make([]types.DevEnvironmentSessionSummary, n)
	for i := range sessions {
		sessions[i] = types.DevEnvironmentSessionSummary{
			SpaceName: aws.String(devsessionstest.DemoSpace), ProjectName: aws.String(devsessionstest.DemoProject),
			DevEnvironmentId: aws.String(env), Id: aws.String(id(i)), StartedTime: aws.Time(start(i)),
		}
	}
	client := devsessionstest.NewSpaceClient(nil, sessions)
	w := devsessions.NewSessionWatcher(client, watchedSpace(), func(o *devsessions.SessionWatcherOptions) { o.SessionPageSize = 200 })
	polls, _ := watchPolls(t, w, 1, nil)
	require.Len(t, polls[0].events, n)
	return w.Checkpoint()
}

func TestCheckpointSizePerSessionIsAsDocumented(t *testing.T) {
	uuid := func(i int) string { return fmt.Sprintf("%08x-89ab-4cde-8f01-%012x", i, i*7919) }
	short := func(i int) string { return fmt.Sprintf("sess-%04d", i) }
	whole := func(i int) time.Time { return time.Unix(1_764_000_000+int64(i), 0) }
	fraction := func(i int) time.Time { return time.Unix(1_764_000_000+int64(i), 123_456_789) }
	cases := map[string]struct {
		id    func(int) string
		start func(int) time.Time
		want  float64 // characters per session, as Checkpoint's doc says
	}{
		"UUID session ids":           {uuid, whole, 31},
		"ids like sess-0001":         {short, whole, 21},
		"a fraction of a second too": {uuid, fraction, 35}, // 123 ms: 4 bytes of nanoseconds
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			const n = 1000
			one, many := checkpointOf(t, 1, tc.id, tc.start), checkpointOf(t, n, tc.id, tc.start)
			per := float64(len(many)-len(one)) / (n - 1)
			t.Logf("%.2f characters per session; %d for one session", per, len(one))
			assert.Equal(t, tc.want, math.Round(per))
		})
	}
}

func TestCheckpointKeepsStartTimesExactly(t *testing.T) {
	starts := []time.Time{
		time.Unix(1_764_000_000, 0).UTC(), time.Unix(1_764_000_000, 999_999_999).UTC(),
		time.Unix(-62_135_596_800, 1).UTC(), // year 1
		time.Unix(253_402_300_799, 0).UTC(), // year 9999
	}
	cp := checkpointOf(t, len(starts), func(i int) string { return fmt.Sprintf("s%d", i) }, func(i int) time.Time { return starts[i] })
	restarted := devsessions.NewSessionWatcher(devsessionstest.NewSpaceClient(nil, nil), watchedSpace(),
		func(o *devsessions.SessionWatcherOptions) { o.Checkpoint = cp })
	polls, _ := watchPolls(t, restarted, 1, nil)
	require.Len(t, polls[0].events, len(starts))
	for i, ev := range polls[0].events {
		assert.Equal(t, devsessions.SessionEnded, ev.Kind)
		assert.Equal(t, &starts[i], ev.Session.Session.StartedTime)
	}
}

// validCheckpoint reports whether a watcher accepts cp, without a request.
func validCheckpoint(t *testing.T, cp string) (*devsessions.SessionWatcher, error) {
	client := devsessionstest.NewSpaceClient(nil, nil)
	w := devsessions.NewSessionWatcher(client, watchedSpace(), func(o *devsessions.SessionWatcherOptions) { o.Checkpoint = cp })
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // a valid watcher then stops before its first request
	var err error
	for _, e := range w.Events(ctx) {
		err = e
	}
	require.Zero(t, client.Calls())
	return w, err
}

// Whatever a checkpoint holds, decoding it never panics; a valid one
// re-encodes to a canonical checkpoint that decodes to itself; an invalid
// one is ErrInvalidCheckpoint and kept as given.
func FuzzCheckpoint(f *testing.F) {
	envs, sessions := devsessionstest.DemoSpaceData(3)
	w := devsessions.NewSessionWatcher(devsessionstest.NewSpaceClient(envs, sessions), watchedSpace())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	for range w.Events(ctx) {
		if n++; n == len(sessions) {
			cancel()
		}
	}
	f.Add(w.Checkpoint())
	f.Add("dsw1.")
	f.Add("dsw1.FGRlbW8tc3BhY2UAAA")
	f.Add("dsw2.")
	f.Add("dsw2.FGRlbW8tc3BhY2UAAA")
	f.Fuzz(func(t *testing.T, cp string) {
		w, err := validCheckpoint(t, cp)
		if err != nil {
			require.ErrorIs(t, err, devsessions.ErrInvalidCheckpoint)
			require.Equal(t, cp, w.Checkpoint())
			return
		}
		canonical := w.Checkpoint()
		again, err := validCheckpoint(t, canonical)
		require.NoError(t, err)
		require.Equal(t, canonical, again.Checkpoint())
	})
}

// A checkpoint with any one character changed, dropped or added is
// refused, never read as other knowledge.
func TestCheckpointWithOneCharacterChangedIsRefused(t *testing.T) {
	cp := checkpointOf(t, 2, func(i int) string { return fmt.Sprintf("sess-%d", i) },
		func(i int) time.Time { return time.Unix(1.7e9+int64(i), 0) })
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	var damaged []string
	for i := range len(cp) {
		for _, c := range alphabet + "." {
			if byte(c) != cp[i] {
				damaged = append(damaged, cp[:i]+string(c)+cp[i+1:])
			}
		}
		damaged = append(damaged, cp[:i]+cp[i+1:], cp[:i]+"A"+cp[i:])
	}
	for _, d := range damaged {
		_, err := validCheckpoint(t, d)
		require.ErrorIs(t, err, devsessions.ErrInvalidCheckpoint, "%q (of %q) was read", d, cp)
	}
}

// craftedCheckpoint is "dsw2." and body with a valid checksum: what a
// damaged or forged checkpoint that the checksum cannot catch looks like.
func craftedCheckpoint(body []byte) string {
	b := binary.BigEndian.AppendUint32(slices.Clone(body), crc32.Checksum(body, crc32.MakeTable(crc32.Castagnoli)))
	return "dsw2." + base64.RawURLEncoding.EncodeToString(b)
}

// cpString is a checkpoint's string: its length + 2, then its bytes.
func cpString(s string) []byte { return append(binary.AppendUvarint(nil, uint64(len(s))+2), s...) }

// A checkpoint with a valid checksum is still read strictly: each rule of
// the form is checked and named.
func TestCheckpointWithAValidChecksumIsReadStrictly(t *testing.T) {
	head := func(project []byte) []byte { // the demo space, the project, no project table
		return append(append(cpString(devsessionstest.DemoSpace), project...), 0)
	}
	env := func(projectIndex byte, sessions ...[]byte) []byte {
		b := append(cpString("env-1"), projectIndex, 0, 0) // no alias, no creatorId
		b = binary.AppendUvarint(b, uint64(len(sessions)))
		for _, s := range sessions {
			b = append(b, s...)
		}
		return b
	}
	session := append(cpString("s-1"), 0) // no start time
	oneEnv := func(e []byte) []byte { return append(append(head([]byte{0}), 1), e...) }
	valid := oneEnv(env(0, session))
	cases := map[string]struct {
		body []byte
		says string // "" for valid
	}{
		"valid":                              {valid, ""},
		"a dev environment without sessions": {oneEnv(env(0)), "a dev environment is in it twice or without sessions"},
		"a project index out of range":       {oneEnv(env(1, session)), "project index out of range"},
		"a time out of range":                {oneEnv(env(0, append(cpString("s-1"), binary.AppendUvarint(nil, 1e9+2)...))), "time out of range"},
		"trailing data":                      {append(slices.Clone(valid), 0), "trailing data"},
		"another scope":                      {append(append(head(cpString("other-project")), 1), env(0, session)...), `made for project "other-project"`},
		"ids out of order":                   {append(append(head([]byte{0}), 2), append(env(0, session), append(cpString("env-0"), 0, 0, 0, 1, cpString("s-1")[0], 's', '-', '1', 0)...)...), "not in the form Checkpoint writes"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := validCheckpoint(t, craftedCheckpoint(tc.body))
			if tc.says == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, devsessions.ErrInvalidCheckpoint)
			assert.Contains(t, err.Error(), tc.says)
		})
	}
	// A checkpoint of one project is refused for another.
	w := devsessions.NewSessionWatcher(devsessionstest.NewSpaceClient(nil, nil), &codecatalyst.ListDevEnvironmentsInput{
		SpaceName: aws.String(devsessionstest.DemoSpace), ProjectName: aws.String("this-project"),
	}, func(o *devsessions.SessionWatcherOptions) {
		o.Checkpoint = craftedCheckpoint(append(append(head(cpString("other-project")), 1), env(0, session)...))
	})
	for _, err := range w.Events(t.Context()) {
		require.ErrorIs(t, err, devsessions.ErrInvalidCheckpoint)
		assert.Contains(t, err.Error(), `made for project "other-project" of space "demo-space", not for project "this-project"`)
	}
}
