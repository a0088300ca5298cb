package smsvoice

import (
	"hash/fnv"
	"math/rand/v2"
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

// store keeps resources in creation order, which is the order describe
// calls list them in.
type store[T any] struct {
	keys []string
	m    map[string]*T
}

func newStore[T any]() *store[T] { return &store[T]{m: map[string]*T{}} }

func (s *store[T]) get(k string) (*T, bool) {
	v, ok := s.m[k]
	return v, ok
}

func (s *store[T]) put(k string, v *T) {
	if _, ok := s.m[k]; !ok {
		s.keys = append(s.keys, k)
	}
	s.m[k] = v
}

func (s *store[T]) del(k string) {
	if _, ok := s.m[k]; !ok {
		return
	}
	delete(s.m, k)
	for i, x := range s.keys {
		if x == k {
			s.keys = append(s.keys[:i:i], s.keys[i+1:]...)
			break
		}
	}
}

func (s *store[T]) list() []*T {
	out := make([]*T, 0, len(s.keys))
	for _, k := range s.keys {
		out = append(out, s.m[k])
	}
	return out
}

func (s *store[T]) len() int { return len(s.keys) }

// region is one region's End User Messaging account.
type region struct {
	rng        *rand.Rand
	phones     *store[phoneNumber]
	senderIDs  *store[senderID] // by SenderId + "/" + IsoCountryCode
	pools      *store[pool]
	configSets *store[configSet]
	optOuts    *store[optOutList]
	regs       *store[registration]
	// keywords by origination identity id (phone-… or pool-…), keyed by
	// the upper-cased keyword: keywords match case-insensitively.
	keywords map[string]*store[keyword]
	// tokens remembers idempotent create results by operation and
	// ClientToken, so a retried create returns the same resource.
	tokens map[string]any
}

func newRegion(name string) *region {
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	return &region{
		rng:        rand.New(rand.NewPCG(h.Sum64(), 0x70326321)),
		phones:     newStore[phoneNumber](),
		senderIDs:  newStore[senderID](),
		pools:      newStore[pool](),
		configSets: newStore[configSet](),
		optOuts:    newStore[optOutList](),
		regs:       newStore[registration](),
		keywords:   map[string]*store[keyword]{},
		tokens:     map[string]any{},
	}
}

// idempotent answers a retried create from its first result.
func (r *region) idempotent(c *core.Call, token *string, create func() (any, *core.Error)) (any, *core.Error) {
	if token == nil {
		return create()
	}
	k := c.Op + "/" + *token
	if out, ok := r.tokens[k]; ok {
		return out, nil
	}
	out, e := create()
	if e == nil {
		r.tokens[k] = out
	}
	return out, e
}

// defaultOptOutList is the list numbers and pools use unless told
// otherwise; the account gets it on first use.
const defaultOptOutList = "Default"

func (r *region) optOutList(c *core.Call, name *string) (*optOutList, *core.Error) {
	if name == nil {
		if l, ok := r.optOuts.get(defaultOptOutList); ok {
			return l, nil
		}
		l := &optOutList{OptOutListArn: arn(c, "opt-out-list", defaultOptOutList), OptOutListName: defaultOptOutList,
			CreatedTimestamp: epoch(c.Now), numbers: newStore[optedOut]()}
		r.optOuts.put(defaultOptOutList, l)
		return l, nil
	}
	id, ok := fromARN(c, "opt-out-list", *name)
	l, found := r.optOuts.get(id)
	if !ok || !found {
		return nil, notFound("opt-out-list", *name)
	}
	return l, nil
}

// taggable finds the tags of the resource an ARN names.
func (r *region) taggable(c *core.Call, a string) (*[]tag, *core.Error) {
	parts := strings.SplitN(a, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "sms-voice" {
		return nil, invalid("INVALID_ARN", "The ARN "+a+" is not a valid sms-voice resource ARN.", "ResourceArn")
	}
	kind, id, _ := strings.Cut(parts[5], "/")
	if parts[3] != c.Region || parts[4] != core.Account {
		return nil, notFound(kind, a)
	}
	switch kind {
	case "phone-number":
		if v, ok := r.phones.get(id); ok {
			return &v.tags, nil
		}
	case "sender-id":
		if v, ok := r.senderIDs.get(id); ok {
			return &v.tags, nil
		}
	case "pool":
		if v, ok := r.pools.get(id); ok {
			return &v.tags, nil
		}
	case "configuration-set":
		if v, ok := r.configSets.get(id); ok {
			return &v.tags, nil
		}
	case "opt-out-list":
		if v, ok := r.optOuts.get(id); ok {
			return &v.tags, nil
		}
	case "registration":
		if v, ok := r.regs.get(id); ok {
			return &v.tags, nil
		}
	default:
		return nil, invalid("INVALID_ARN", "The ARN "+a+" does not name a taggable resource.", "ResourceArn")
	}
	return nil, notFound(kind, a)
}
