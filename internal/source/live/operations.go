package live

// Operations lists every call the scanner can make, as "signing-name:Op"
// (the names the emulator counts). `p2c iam-policy` turns it into IAM
// actions; TestOperationsMatchScan scans the demo account in the emulator
// and fails when a call made is missing here or one listed is never made,
// so the list cannot drift from the code.
func Operations() []string {
	out := make([]string, 0, len(scanOperations))
	out = append(out, scanOperations...)
	return out
}

var scanOperations = []string{
	// Pinpoint: applications and their settings.
	"mobiletargeting:GetApps",
	"mobiletargeting:ListTagsForResource",
	"mobiletargeting:GetApplicationSettings",
	"mobiletargeting:GetEventStream",
	"mobiletargeting:GetExportJobs",
	"mobiletargeting:GetImportJobs",
	"mobiletargeting:GetApplicationDateRangeKpi",
	// Channels.
	"mobiletargeting:GetChannels",
	"mobiletargeting:GetAdmChannel",
	"mobiletargeting:GetApnsChannel",
	"mobiletargeting:GetApnsSandboxChannel",
	"mobiletargeting:GetApnsVoipChannel",
	"mobiletargeting:GetApnsVoipSandboxChannel",
	"mobiletargeting:GetBaiduChannel",
	"mobiletargeting:GetEmailChannel",
	"mobiletargeting:GetGcmChannel",
	"mobiletargeting:GetSmsChannel",
	"mobiletargeting:GetVoiceChannel",
	// Templates and recommenders.
	"mobiletargeting:ListTemplates",
	"mobiletargeting:ListTemplateVersions",
	"mobiletargeting:GetEmailTemplate",
	"mobiletargeting:GetSmsTemplate",
	"mobiletargeting:GetPushTemplate",
	"mobiletargeting:GetVoiceTemplate",
	"mobiletargeting:GetInAppTemplate",
	"mobiletargeting:GetRecommenderConfigurations",
	// Segments, campaigns, journeys.
	"mobiletargeting:GetSegments",
	"mobiletargeting:GetSegmentVersions",
	"mobiletargeting:GetSegmentExportJobs",
	"mobiletargeting:GetSegmentImportJobs",
	"mobiletargeting:GetCampaigns",
	"mobiletargeting:GetCampaignVersions",
	"mobiletargeting:GetCampaignActivities",
	"mobiletargeting:GetCampaignDateRangeKpi",
	"mobiletargeting:ListJourneys",
	"mobiletargeting:GetJourney",
	"mobiletargeting:GetJourneyRuns",
	"mobiletargeting:GetJourneyRunExecutionMetrics",
	"mobiletargeting:GetJourneyExecutionMetrics",
	"mobiletargeting:GetJourneyExecutionActivityMetrics",
	"mobiletargeting:GetJourneyDateRangeKpi",
	// The endpoint export (--export-endpoints), and reading it back.
	"mobiletargeting:CreateExportJob",
	"mobiletargeting:GetExportJob",
	"s3:HeadBucket",
	"s3:ListObjectsV2",
	"s3:GetObject",
	// AWS End User Messaging SMS and voice.
	"sms-voice:DescribePhoneNumbers",
	"sms-voice:DescribeSenderIds",
	"sms-voice:DescribePools",
	"sms-voice:ListPoolOriginationIdentities",
	"sms-voice:DescribeConfigurationSets",
	"sms-voice:DescribeOptOutLists",
	"sms-voice:DescribeOptedOutNumbers",
	"sms-voice:DescribeRegistrations",
	"sms-voice:DescribeKeywords",
}
