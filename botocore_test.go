package devsessions_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
	"github.com/codecatalyst-contrib/devsessions"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// botocoreCases is what testdata/botocore_cases.py recorded from the real
// botocore paginator.
type botocoreCases struct {
	Botocore string `json:"botocore"`
	// Tokens are odd StartingTokens and how botocore reads them: the
	// first request's nextToken and the pages (26 sessions), or the error
	// it fails with.
	Tokens []struct {
		Name              string   `json:"name"`
		Token             string   `json:"token"`
		Error             string   `json:"error"`
		FirstRequestToken string   `json:"first_request_token"`
		Pages             [][2]int `json:"pages"`
	} `json:"tokens"`
	Cases []struct {
		Name      string `json:"name"`
		Operation string `json:"operation"`
		N         int    `json:"n"`
		PageSize  int32  `json:"page_size"`
		MaxItems  int32  `json:"max_items"`
		Runs      []struct {
			Pages       [][2]int          `json:"pages"` // [first item index, count]
			Requests    []json.RawMessage `json:"requests"`
			Served      int               `json:"served"`
			ResumeToken string            `json:"resume_token"`
		} `json:"runs"`
	} `json:"cases"`
}

func loadBotocoreCases(t *testing.T) botocoreCases {
	t.Helper()
	raw, err := os.ReadFile("testdata/botocore_cases.json")
	require.NoError(t, err)
	var bc botocoreCases
	require.NoError(t, json.Unmarshal(raw, &bc))
	require.NotEmpty(t, bc.Cases)
	seen := map[string]int{}
	for _, c := range bc.Cases {
		seen[c.Operation]++
	}
	for _, op := range operations {
		require.Positive(t, seen[op.name], "no botocore case for %s", op.name)
	}
	require.Len(t, seen, len(operations), "cases name only known operations")
	return bc
}

// operationNamed returns the operation a botocore case names.
func operationNamed(t *testing.T, name string) operation {
	t.Helper()
	for _, op := range operations {
		if op.name == name {
			return op
		}
	}
	t.Fatalf("unknown operation %q", name)
	return operation{}
}

// The committed cases must be what the installed botocore produces now.
func TestBotocoreCasesAreCurrent(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("SKIPPED: python3 is not installed, so the botocore cases cannot be regenerated")
	}
	if exec.Command("python3", "-c", "import botocore").Run() != nil {
		t.Skip("SKIPPED: botocore is not installed, so the botocore cases cannot be regenerated")
	}
	cmd := exec.CommandContext(t.Context(), "python3", "testdata/botocore_cases.py")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, stderr.String())
	committed, err := os.ReadFile("testdata/botocore_cases.json")
	require.NoError(t, err)
	// The first line names the botocore version; a new version that pages
	// the same way is not a failure.
	_, committedCases, _ := bytes.Cut(committed, []byte("\n"))
	_, currentCases, _ := bytes.Cut(out, []byte("\n"))
	assert.True(t, bytes.Equal(committedCases, currentCases), "testdata/botocore_cases.json is stale: regenerate it with python3 testdata/botocore_cases.py")
}

// hasAmount reports whether a botocore token points inside a page.
func hasAmount(t *testing.T, tok string) bool {
	raw, err := base64.StdEncoding.DecodeString(tok)
	require.NoError(t, err)
	return strings.Contains(string(raw), "boto_truncate_amount")
}

// TestAgainstBotocore replays every recorded resume chain: each run delivers
// the same items as botocore's run; a run that starts from the same token
// as botocore's gives the same pages; where botocore stops at a page
// boundary our token is the same string; and no run makes more requests or
// pulls more items from the service, strictly fewer items wherever botocore
// cut a page that had a PageSize (without one both take the service's
// default page, so that a token resumes in the AWS CLI without --page-size).
func TestAgainstBotocore(t *testing.T) {
	bc := loadBotocoreCases(t)
	for _, c := range bc.Cases {
		op := operationNamed(t, c.Operation)
		t.Run(c.Name, func(t *testing.T) {
			ours, theirs := "", ""
			for i, want := range c.Runs {
				fake := op.newFake(c.N)
				p := op.pager(fake, po(c.MaxItems, c.PageSize, ours))
				var pages [][2]int
				var items, wantItems []string
				for _, page := range loop(t, t.Context(), p) {
					first := -1
					if len(page) > 0 {
						idx, ok := strings.CutPrefix(page[0], op.idPrefix)
						require.True(t, ok, page[0])
						var err error
						first, err = strconv.Atoi(idx)
						require.NoError(t, err)
					}
					pages = append(pages, [2]int{first, len(page)})
					items = append(items, page...)
				}
				for _, pg := range want.Pages {
					wantItems = append(wantItems, op.span(pg[0], pg[0]+pg[1])...)
				}
				require.Equal(t, wantItems, items, "run %d delivers the same items", i)
				// From the same token both sides ask for the same pages (ours
				// shrink only the last request under a cap, to what it needs).
				if ours == theirs {
					assert.Equal(t, want.Pages, pages, "run %d from the same token gives the same pages", i)
				}
				assert.LessOrEqual(t, fake.Calls(), len(want.Requests), "run %d requests", i)
				cut := want.ResumeToken != "" && hasAmount(t, want.ResumeToken)
				if cut && c.PageSize > 0 {
					assert.Less(t, fake.ItemsServed(), want.Served, "run %d: botocore cut a page, we must pull fewer items", i)
				} else {
					assert.LessOrEqual(t, fake.ItemsServed(), want.Served, "run %d items pulled", i)
				}
				ours, theirs = p.ResumeToken(), want.ResumeToken
				assert.Equal(t, theirs == "", ours == "", "run %d: both sides agree whether anything remains", i)
				if theirs != "" && !cut {
					assert.Equal(t, theirs, ours, "run %d: at a page boundary the token is botocore's string", i)
				}
			}
			assert.Empty(t, ours)
		})
	}
}

// The tokens botocore produced resume in devsessions at the same item.
func TestBotocoreTokensResumeHere(t *testing.T) {
	bc := loadBotocoreCases(t)
	for _, c := range bc.Cases {
		op := operationNamed(t, c.Operation)
		done := 0
		for i, run := range c.Runs {
			for _, pg := range run.Pages {
				done += pg[1]
			}
			if run.ResumeToken == "" {
				continue
			}
			p := op.pager(op.newFake(c.N), po(0, c.PageSize, run.ResumeToken))
			rest, err := p.Collect(t.Context())
			require.NoError(t, err)
			if done == c.N {
				require.Empty(t, rest, "%s run %d token %s", c.Name, i, run.ResumeToken)
			} else {
				require.Equal(t, op.span(done, c.N), rest, "%s run %d token %s", c.Name, i, run.ResumeToken)
			}
		}
	}
}

// An odd StartingToken is read as botocore reads it: the same first request
// and pages where botocore uses it, refused before any request where
// botocore fails on it.
func TestOddTokensReadAsInBotocore(t *testing.T) {
	bc := loadBotocoreCases(t)
	require.NotEmpty(t, bc.Tokens)
	for _, tc := range bc.Tokens {
		t.Run(tc.Name, func(t *testing.T) {
			fake := sessionsOp.newFake(26)
			p := sessionsOp.pager(fake, po(0, 0, tc.Token))
			if tc.Error != "" {
				_, err := p.NextPage(t.Context())
				require.ErrorIs(t, err, devsessions.ErrInvalidStartingToken, "botocore fails with %s", tc.Error)
				assert.Zero(t, fake.Calls())
				return
			}
			var pages [][2]int
			for p.HasMorePages() {
				out, err := p.NextPage(t.Context())
				var ve *types.ValidationException
				if errors.As(err, &ve) { // not a token of this fake: botocore's simulated service answered empty
					pages = append(pages, [2]int{-1, 0})
					break
				}
				require.NoError(t, err)
				first := -1
				if len(out.ids) > 0 {
					first = index(t, sessionsOp, out.ids[0])
				}
				pages = append(pages, [2]int{first, len(out.ids)})
			}
			assert.Equal(t, tc.FirstRequestToken, tokens(fake.Requests())[0])
			assert.Equal(t, tc.Pages, pages)
		})
	}
}

// index returns the number in one of op's item ids.
func index(t *testing.T, op operation, id string) int {
	t.Helper()
	idx, ok := strings.CutPrefix(id, op.idPrefix)
	require.True(t, ok, id)
	n, err := strconv.Atoi(idx)
	require.NoError(t, err)
	return n
}

// Our ResumeTokens resume in the real botocore at the same item: for every
// operation, tokens from inside a page (a cap, a break out of Items) and at
// page boundaries, handed to botocore_cases.py --resume.
func TestOurTokensResumeInBotocore(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("SKIPPED: python3 is not installed, so our tokens cannot be resumed in botocore")
	}
	if exec.Command("python3", "-c", "import botocore").Run() != nil {
		t.Skip("SKIPPED: botocore is not installed, so our tokens cannot be resumed in botocore")
	}
	type query struct {
		Operation string `json:"operation"`
		N         int    `json:"n"`
		PageSize  int32  `json:"page_size"`
		Token     string `json:"token"`
		from      int    // the first item not delivered
	}
	var queries []query
	const n = 26
	for _, op := range operations {
		for _, pageSize := range []int32{0, 3, 10} {
			if op.maxPageSize == 0 && pageSize > 0 {
				continue
			}
			for _, stop := range []int{1, 5, 10, 13} {
				// A cap, and a break out of Items after as many items.
				capped := op.pager(op.newFake(n), po(int32(stop), pageSize, ""))
				_, err := capped.Collect(t.Context())
				require.NoError(t, err)
				broken := op.pager(op.newFake(n), po(0, pageSize, ""))
				got := 0
				for _, err := range broken.Items(t.Context()) {
					require.NoError(t, err)
					if got++; got == stop {
						break
					}
				}
				for _, tok := range []string{capped.ResumeToken(), broken.ResumeToken()} {
					require.NotEmpty(t, tok)
					queries = append(queries, query{Operation: op.name, N: n, PageSize: pageSize, Token: tok, from: stop})
				}
			}
		}
	}
	in, err := json.Marshal(queries)
	require.NoError(t, err)
	cmd := exec.CommandContext(t.Context(), "python3", "testdata/botocore_cases.py", "--resume")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, stderr.String())
	var runs []struct {
		Pages       [][2]int `json:"pages"`
		ResumeToken string   `json:"resume_token"`
	}
	require.NoError(t, json.Unmarshal(out, &runs))
	require.Len(t, runs, len(queries))
	for i, q := range queries {
		var items []int
		for _, pg := range runs[i].Pages {
			for j := range pg[1] {
				items = append(items, pg[0]+j)
			}
		}
		want := make([]int, 0, n-q.from)
		for j := q.from; j < n; j++ {
			want = append(want, j)
		}
		assert.Equal(t, want, items, "%s page size %d: botocore resumes %s at item %d", q.Operation, q.PageSize, q.Token, q.from)
		assert.Empty(t, runs[i].ResumeToken)
	}
}

// TestFetchesNoMoreThanBotocore runs every recorded botocore resume chain
// to the end on both sides and compares what each pulled from the service:
// requests and items. We never make more of either, and pull strictly fewer
// items wherever botocore cut a page of a given PageSize. With -v it logs the table quoted in
// BENCHMARKS.md.
func TestFetchesNoMoreThanBotocore(t *testing.T) {
	bc := loadBotocoreCases(t)
	var table strings.Builder
	table.WriteString("| operation | items | PageSize | MaxItems | runs | requests botocore | requests ours | items pulled botocore | items pulled ours |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, c := range bc.Cases {
		op := operationNamed(t, c.Operation)
		var theirReqs, theirItems, ourReqs, ourItems int
		cut := false
		for _, run := range c.Runs {
			theirReqs += len(run.Requests)
			theirItems += run.Served
			cut = cut || (run.ResumeToken != "" && hasAmount(t, run.ResumeToken))
		}
		tok, runs := "", 0
		for {
			fake := op.newFake(c.N)
			p := op.pager(fake, po(c.MaxItems, c.PageSize, tok))
			_, err := p.Collect(t.Context())
			require.NoError(t, err)
			ourReqs += fake.Calls()
			ourItems += fake.ItemsServed()
			runs++
			if tok = p.ResumeToken(); tok == "" {
				break
			}
			require.Less(t, runs, 1000)
		}
		assert.LessOrEqual(t, ourReqs, theirReqs, "%s requests", c.Name)
		if cut && c.PageSize > 0 {
			assert.Less(t, ourItems, theirItems, "%s: botocore cut a page, so we must pull fewer items", c.Name)
		} else {
			assert.LessOrEqual(t, ourItems, theirItems, "%s items", c.Name)
		}
		if (c.N == 26 || c.N == 55 || c.N == 230) && (c.PageSize == 0 || c.PageSize == 10 || c.PageSize == 25) &&
			(c.MaxItems == 10 || c.MaxItems == 15 || c.MaxItems == 26 || c.MaxItems == 100) {
			ps := strconv.Itoa(int(c.PageSize))
			if c.PageSize == 0 {
				ps = "– (25)"
			}
			fmt.Fprintf(&table, "| %s | %d | %s | %d | %d | %d | %d | %d | %d |\n", op.name, c.N, ps, c.MaxItems, len(c.Runs), theirReqs, ourReqs, theirItems, ourItems)
		}
	}
	t.Log("\n" + table.String())
}
