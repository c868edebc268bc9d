package devsessions_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/codecatalyst-contrib/devsessions"
	"github.com/codecatalyst-contrib/devsessions/devsessionstest"
)

// botocoreCases is what testdata/botocore_cases.py recorded from the real
// botocore paginator.
type botocoreCases struct {
	Botocore string `json:"botocore"`
	Cases    []struct {
		Name     string `json:"name"`
		N        int    `json:"n"`
		PageSize int32  `json:"page_size"`
		MaxItems int32  `json:"max_items"`
		Runs     []struct {
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
	return bc
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
		t.Run(c.Name, func(t *testing.T) {
			ours, theirs := "", ""
			for i, want := range c.Runs {
				fake := devsessionstest.NewClient(devsessionstest.Sessions(c.N))
				p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(c.MaxItems, c.PageSize, ours))
				var pages [][2]int
				var items, wantItems []string
				for _, page := range pageLoop(t, t.Context(), p) {
					first := -1
					if len(page) > 0 {
						first, _ = strconv.Atoi(strings.TrimPrefix(page[0], "sess-"))
					}
					pages = append(pages, [2]int{first, len(page)})
					items = append(items, page...)
				}
				for _, pg := range want.Pages {
					wantItems = append(wantItems, span(pg[0], pg[0]+pg[1])...)
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
		done := 0
		for i, run := range c.Runs {
			for _, pg := range run.Pages {
				done += pg[1]
			}
			if run.ResumeToken == "" {
				continue
			}
			fake := devsessionstest.NewClient(devsessionstest.Sessions(c.N))
			p := devsessions.NewListDevEnvironmentSessionsPaginator(fake, input(), opts(0, c.PageSize, run.ResumeToken))
			rest, err := p.Collect(t.Context())
			require.NoError(t, err)
			require.Equal(t, span(done, c.N), ids(rest), "%s run %d token %s", c.Name, i, run.ResumeToken)
			_ = aws.String
		}
	}
}
