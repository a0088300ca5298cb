package live

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// capture keeps the raw body of a successful response. The inventory
// stores API objects exactly as they came over the wire; re-marshalling
// the SDK's typed outputs would lose the wire names ("tags",
// "segmentDimensions") and any member newer than the SDK.
//
// The middleware sits at the end of the Deserialize step, inside the
// operation's deserializer: it reads the body once, keeps the bytes and
// hands the deserializer a reader over the same bytes. Retries run in the
// Finalize step, outside it, so the last attempt wins.
type capture struct {
	body []byte
}

func (c *capture) addTo(stack *middleware.Stack) error {
	return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("p2cCaptureBody",
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
			middleware.DeserializeOutput, middleware.Metadata, error,
		) {
			out, md, err := next.HandleDeserialize(ctx, in)
			if err != nil {
				return out, md, err
			}
			resp, ok := out.RawResponse.(*smithyhttp.Response)
			if !ok || resp.Body == nil || resp.StatusCode < 200 || resp.StatusCode > 299 {
				return out, md, err
			}
			b, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if rerr != nil {
				return out, md, fmt.Errorf("read response body: %w", rerr)
			}
			c.body = b
			resp.Body = io.NopCloser(bytes.NewReader(b))
			return out, md, nil
		}), middleware.After)
}

// compact returns b without insignificant whitespace, so objects compare
// byte for byte whatever the server's formatting.
func compact(b []byte) json.RawMessage {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return json.RawMessage(b)
	}
	return buf.Bytes()
}

// page is the generic shape of a paginated body: items under one member,
// the continuation in NextToken.
func parsePage(body []byte, itemsKey string) (items []json.RawMessage, next string, err error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, "", fmt.Errorf("decode page: %w", err)
	}
	if raw, ok := m[itemsKey]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, "", fmt.Errorf("decode page %s: %w", itemsKey, err)
		}
	}
	if raw, ok := m["NextToken"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &next); err != nil {
			return nil, "", fmt.Errorf("decode page NextToken: %w", err)
		}
	}
	for i := range items {
		items[i] = compact(items[i])
	}
	return items, next, nil
}

// field reads a top-level string or number member of a raw object as text.
func field(obj json.RawMessage, name string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) != nil {
		return ""
	}
	raw, ok := m[name]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}
