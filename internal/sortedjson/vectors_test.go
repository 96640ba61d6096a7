package sortedjson_test

import (
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
)

func TestDECSDocsSortedJSON(t *testing.T) {
	t.Parallel()
	var v testvectors.DECSDocs
	if err := testvectors.Load("evidence_decs_docs.json", &v); err != nil {
		t.Fatal(err)
	}
	// The docs' request in its natural (unsorted, spaced) order.
	raw := `{ "v": "1.0.0", "auth": {"nonce": "20rr7wbca98e8325f0fjd77yl130j6hi", "appId": "IDAkEBvb"},
	  "arg": {"b": "xxx", "a": "xxx"} }`
	got, err := sortedjson.Canonicalize([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != v.DECSHash.SortedJSON {
		t.Errorf("Canonicalize =\n%s\nwant\n%s", got, v.DECSHash.SortedJSON)
	}
	type auth struct {
		AppID string `json:"appId"`
		Nonce string `json:"nonce"`
	}
	env := struct {
		V    string            `json:"v"`
		Auth auth              `json:"auth"`
		Arg  map[string]string `json:"arg"`
	}{"1.0.0", auth{"IDAkEBvb", "20rr7wbca98e8325f0fjd77yl130j6hi"}, map[string]string{"b": "xxx", "a": "xxx"}}
	got, err = sortedjson.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != v.DECSHash.SortedJSON {
		t.Errorf("Marshal =\n%s\nwant\n%s", got, v.DECSHash.SortedJSON)
	}
}
