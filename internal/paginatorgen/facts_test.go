package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// modelFacts prints, for each operation botocore pages for CodeCatalyst,
// what the table records, as the installed botocore's model has it.
const modelFacts = `
import json, botocore, botocore.session
s = botocore.session.get_session()
m = s.get_service_model("codecatalyst")
pages = s.get_paginator_model("codecatalyst")._paginator_config
out = {"botocore": botocore.__version__, "operations": []}
for name in sorted(pages):
    op, cfg = m.operation_model(name), pages[name]
    inp = op.input_shape
    members = []
    for k, v in inp.members.items():
        if k in ("nextToken", "maxResults"):
            continue
        members.append({"Model": k, "Kind": v.type_name, "Required": k in inp.required_members,
                        "Min": v.metadata.get("min", 0) if v.type_name == "string" else 0,
                        "Max": v.metadata.get("max", 0) if v.type_name in ("string", "list") else 0,
                        "Shape": v.member.name if v.type_name == "list" else ""})
    limit = inp.members.get(cfg.get("limit_key", ""), None)
    out["operations"].append({
        "Name": name, "Method": op.http["method"], "Path": op.http["requestUri"],
        "Item": op.output_shape.members[cfg["result_key"]].member.name,
        "ItemMembers": list(op.output_shape.members[cfg["result_key"]].member.members),
        "MaxResults": limit.metadata.get("max", 0) if limit is not None else 0,
        "MinResults": limit.metadata.get("min", 1) if limit is not None else 0,
        "MaxToken": inp.members["nextToken"].metadata["max"],
        "Members": members,
        "Paging": [cfg["input_token"], cfg["output_token"], cfg["result_key"], cfg.get("limit_key", "")],
    })
print(json.dumps(out))
`

type modelOperation struct {
	operation
	Method      string
	MinResults  int32
	Paging      []string
	ItemMembers []string
}

// The table is the installed botocore's model, fact for fact: the same ten
// operations, routes, bounds, item shapes and input members.
func TestFactsMatchBotocore(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("SKIPPED: python3 is not installed, so the table cannot be checked against botocore's model")
	}
	if exec.Command("python3", "-c", "import botocore").Run() != nil {
		t.Skip("SKIPPED: botocore is not installed, so the table cannot be checked against its model")
	}
	cmd := exec.CommandContext(t.Context(), "python3", "-c", modelFacts)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	require.NoError(t, err, stderr.String())
	var model struct {
		Botocore   string
		Operations []modelOperation
	}
	require.NoError(t, json.Unmarshal(raw, &model))
	t.Logf("botocore %s", model.Botocore)

	names := func(ops []operation) []string {
		var out []string
		for _, o := range ops {
			out = append(out, o.Name)
		}
		return out
	}
	var fromModel []operation
	for _, m := range model.Operations {
		fromModel = append(fromModel, m.operation)
	}
	require.Equal(t, names(fromModel), names(operations), "the operations botocore pages, in order")
	for i, m := range model.Operations {
		want := operations[i]
		t.Run(want.Name, func(t *testing.T) {
			assert.Equal(t, "POST", m.Method)
			assert.Equal(t, []string{"nextToken", "nextToken", "items", limitKey(want)}, m.Paging)
			assert.Equal(t, want.Path, m.Path)
			assert.Equal(t, want.Item, m.Item)
			assert.Contains(t, m.ItemMembers, want.ItemKey, "the item key is a member of the item")
			assert.Equal(t, want.MaxResults, m.MaxResults)
			if want.MaxResults > 0 {
				// The one model without a minimum (ListAccessTokens) gets 1: 0
				// means "not set" in the SDK's input.
				assert.Contains(t, []int32{0, 1}, m.MinResults)
			}
			assert.Equal(t, want.MaxToken, m.MaxToken)
			got := slices.Clone(m.Members)
			assert.ElementsMatch(t, want.Members, got)
		})
	}
}

func limitKey(o operation) string {
	if o.MaxResults == 0 {
		return ""
	}
	return "maxResults"
}

// The committed files are what the table generates.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	for name, tmpl := range templates {
		want, err := render(tmpl)
		require.NoError(t, err)
		got, err := os.ReadFile("../../" + name)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "%s is stale: run go generate ./...", name)
	}
}
