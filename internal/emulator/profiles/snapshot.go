package profiles

import (
	"sort"
)

// StoredProfile is a profile as the emulator holds it, for tests and
// `p2c emulator` checks: Customer Profiles has no API that lists every
// profile of a domain.
type StoredProfile struct {
	ProfileId string
	// Profile is the GetProfile-shaped object (ProfileId included).
	Profile map[string]any
	// Keys are the custom search keys it holds.
	Keys map[string][]string
	// Objects counts its profile objects by object type.
	Objects map[string]int
}

// Profiles returns every profile of a domain, in creation order (nil when
// the domain does not exist).
func (s *Service) Profiles(region, domain string) []StoredProfile {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.regions[region]
	if r == nil || r.domains[domain] == nil {
		return nil
	}
	d := r.domains[domain]
	out := make([]StoredProfile, 0, len(d.profIDs))
	for _, id := range d.profIDs {
		p := d.profiles[id]
		sp := StoredProfile{ProfileId: id, Profile: copyMap(p.obj), Keys: map[string][]string{}, Objects: map[string]int{}}
		for k, v := range p.keys {
			sp.Keys[k] = append([]string(nil), v...)
			sort.Strings(sp.Keys[k])
		}
		for _, k := range p.objs {
			if o := d.objects[k]; o != nil {
				sp.Objects[o.typ]++
			}
		}
		out = append(out, sp)
	}
	return out
}
