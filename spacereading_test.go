package devsessions

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// read returns a readings that has read pages of the given ids.
func readPages(rs *readings, pages ...[]string) {
	rs.start()
	for i, pg := range pages {
		var next *string
		if i+1 < len(pages) {
			tok := string(rune('a' + i))
			next = &tok
		}
		rs.add(fps(pg...), next)
	}
}

func TestReadings(t *testing.T) {
	same := func([]pageRead) (bool, error) { return true, nil }
	changed := func([]pageRead) (bool, error) { return false, nil }
	refused := func([]pageRead) (bool, error) { return false, errors.New("token refused") }
	t.Run("one page is complete without a check", func(t *testing.T) {
		var rs readings
		readPages(&rs, []string{"a", "b"})
		complete, again := rs.end(func([]pageRead) (bool, error) { panic("no check for one page") })
		assert.True(t, complete)
		assert.False(t, again)
	})
	t.Run("several pages are complete when the check finds them the same", func(t *testing.T) {
		var rs readings
		readPages(&rs, []string{"a"}, []string{"b"})
		complete, again := rs.end(same)
		assert.True(t, complete)
		assert.False(t, again)
	})
	t.Run("a changed page reads again, at most maxReadings times", func(t *testing.T) {
		var rs readings
		for i := 1; i <= maxReadings; i++ {
			readPages(&rs, []string{"a"}, []string{"b"})
			complete, again := rs.end(changed)
			assert.False(t, complete)
			assert.Equal(t, i < maxReadings, again, "reading %d", i)
		}
	})
	t.Run("an item read twice in one page is complete without a check", func(t *testing.T) {
		var rs readings
		readPages(&rs, []string{"a", "a"})
		complete, again := rs.end(func([]pageRead) (bool, error) { panic("no check for one page") })
		assert.True(t, complete)
		assert.False(t, again)
	})
	t.Run("an item read twice across pages the check confirms is complete", func(t *testing.T) {
		var rs readings
		readPages(&rs, []string{"a"}, []string{"a"})
		complete, again := rs.end(same)
		assert.True(t, complete)
		assert.False(t, again)
	})
	t.Run("an item read twice across pages that changed reads again", func(t *testing.T) {
		var rs readings
		readPages(&rs, []string{"a"}, []string{"a"})
		complete, again := rs.end(changed)
		assert.False(t, complete)
		assert.True(t, again)
	})
	t.Run("a refused check compares the next reading whole", func(t *testing.T) {
		var rs readings
		readPages(&rs, []string{"a"}, []string{"b"})
		complete, again := rs.end(refused)
		require.False(t, complete)
		require.True(t, again)
		readPages(&rs, []string{"a"}, []string{"c"})
		complete, again = rs.end(refused)
		require.False(t, complete, "not the same as the reading before")
		require.True(t, again)
		readPages(&rs, []string{"a"}, []string{"c"})
		complete, _ = rs.end(refused)
		assert.True(t, complete, "the same as the reading before")
	})
}

func TestRecheck(t *testing.T) {
	pages := make([]pageRead, 10)
	for i := range pages {
		pages[i] = pageRead{hash: uint64(i), more: i < 9}
	}
	read := func(i int) (uint64, bool) { return uint64(i), i < 9 }
	index := func(tok *string) int {
		if tok == nil {
			return 0
		}
		return int((*tok)[0] - 'a')
	}
	for i := range pages {
		if i > 0 {
			tok := string(rune('a' + i))
			pages[i].tok = &tok
		}
	}
	t.Run("the same pages, at most n at a time", func(t *testing.T) {
		var inFlight, most atomic.Int32
		same, err := recheck(t.Context(), pages, 3, func(_ context.Context, tok *string) (uint64, bool, error) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			h, more := read(index(tok))
			return h, more, nil
		})
		require.NoError(t, err)
		assert.True(t, same)
		assert.LessOrEqual(t, most.Load(), int32(3))
	})
	t.Run("a page changed, or one more page", func(t *testing.T) {
		for _, change := range []func(i int) (uint64, bool){
			func(i int) (uint64, bool) { h, more := read(i); return h + uint64(i/7), more },
			func(i int) (uint64, bool) { h, _ := read(i); return h, true },
		} {
			same, err := recheck(t.Context(), pages, 4, func(_ context.Context, tok *string) (uint64, bool, error) {
				h, more := change(index(tok))
				return h, more, nil
			})
			require.NoError(t, err)
			assert.False(t, same)
		}
	})
	t.Run("an error", func(t *testing.T) {
		_, err := recheck(t.Context(), pages, 4, func(_ context.Context, tok *string) (uint64, bool, error) {
			if index(tok) == 5 {
				return 0, false, errors.New("refused")
			}
			h, more := read(index(tok))
			return h, more, nil
		})
		assert.EqualError(t, err, "refused")
	})
	t.Run("a panic is raised after every read has ended", func(t *testing.T) {
		var ended atomic.Int32
		started := make(chan struct{})
		assert.PanicsWithValue(t, "read bug", func() {
			recheck(t.Context(), pages, 4, func(ctx context.Context, tok *string) (uint64, bool, error) {
				defer ended.Add(1)
				if index(tok) == 0 {
					<-started
					panic("read bug")
				}
				if index(tok) == 1 {
					close(started)
					<-ctx.Done() // still reading when the panic happens
				}
				h, more := read(index(tok))
				return h, more, nil
			})
		})
		assert.GreaterOrEqual(t, ended.Load(), int32(2), "both reads had ended")
	})
}
