package assess

// CampaignZone is the IANA zone the plan writes for a campaign schedule's
// Timezone (rule CMP-TIMEZONE); ok is false when no zone has the same fixed
// offset and a person must choose one.
func CampaignZone(tz string) (zone string, ok bool) {
	z, _, ok := cmpZone(tz)
	return z, ok
}

// JourneyZone is the default time zone the plan writes for a journey's
// Schedule.Timezone (rule JRN-LOCAL-TIME); ok is false when Connect cannot
// spell the offset and a person must choose a zone.
func JourneyZone(tz string) (zone string, ok bool) { return jrnOffsetZone(tz) }
