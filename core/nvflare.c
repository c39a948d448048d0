/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NVFlare's facts per release line (include/catalogue/ccprov/nvflare.h). The
 * values come from NVFlare 2.7.2's and 2.8.1's own provisioners
 * (docs/nvflare-lines.md lists the differences).
 */
#include "ccprov/nvflare.h"

#include <string.h>

/* 2.8.1's default class allow-list, in its order (2.7 has none). */
static const char *const allow_list_2_8[] = {
	"nvflare.app_common.aggregators.collect_and_assemble_model_aggregator.CollectAndAssembleModelAggregator",
	"nvflare.app_common.aggregators.intime_accumulate_model_aggregator.InTimeAccumulateWeightedAggregator",
	"nvflare.app_common.ccwf.CrossSiteEvalClientController",
	"nvflare.app_common.ccwf.CrossSiteEvalServerController",
	"nvflare.app_common.ccwf.CyclicClientController",
	"nvflare.app_common.ccwf.CyclicServerController",
	"nvflare.app_common.ccwf.SwarmClientController",
	"nvflare.app_common.ccwf.SwarmServerController",
	"nvflare.app_common.ccwf.comps.cwe_result_printer.CWEResultPrinter",
	"nvflare.app_common.ccwf.comps.np_file_model_persistor.NPFileModelPersistor",
	"nvflare.app_common.ccwf.comps.np_trainer.NPTrainer",
	"nvflare.app_common.ccwf.comps.simple_intime_model_selector.SimpleIntimeModelSelector",
	"nvflare.app_common.ccwf.comps.simple_model_shareable_generator.SimpleModelShareableGenerator",
	"nvflare.app_common.ccwf.cse_client_ctl.CrossSiteEvalClientController",
	"nvflare.app_common.ccwf.cse_server_ctl.CrossSiteEvalServerController",
	"nvflare.app_common.ccwf.cyclic_client_ctl.CyclicClientController",
	"nvflare.app_common.ccwf.cyclic_server_ctl.CyclicServerController",
	"nvflare.app_common.ccwf.swarm_client_ctl.SwarmClientController",
	"nvflare.app_common.ccwf.swarm_server_ctl.SwarmServerController",
	"nvflare.app_common.executors.statistics.statistics_executor.StatisticsExecutor",
	"nvflare.app_common.filters.exclude_vars.ExcludeVars",
	"nvflare.app_common.filters.percentile_privacy.PercentilePrivacy",
	"nvflare.app_common.filters.statistics_privacy_filter.StatisticsPrivacyFilter",
	"nvflare.app_common.filters.svt_privacy.SVTPrivacy",
	"nvflare.app_common.logging.job_log_receiver.JobLogReceiver",
	"nvflare.app_common.logging.job_log_streamer.JobLogStreamer",
	"nvflare.app_common.np.np_formatter.NPFormatter",
	"nvflare.app_common.np.np_model_locator.NPModelLocator",
	"nvflare.app_common.np.np_model_persistor.NPModelPersistor",
	"nvflare.app_common.np.np_trainer.NPTrainer",
	"nvflare.app_common.np.np_validator.NPValidator",
	"nvflare.app_common.psi.dh_psi.dh_psi_controller.DhPSIController",
	"nvflare.app_common.psi.file_psi_writer.FilePSIWriter",
	"nvflare.app_common.psi.psi_executor.PSIExecutor",
	"nvflare.app_common.shareablegenerators.full_model_shareable_generator.FullModelShareableGenerator",
	"nvflare.app_common.statistics.histogram_bins_cleanser.HistogramBinsCleanser",
	"nvflare.app_common.statistics.json_stats_file_persistor.JsonStatsFileWriter",
	"nvflare.app_common.statistics.min_count_cleanser.MinCountCleanser",
	"nvflare.app_common.statistics.min_max_cleanser.AddNoiseToMinMax",
	"nvflare.app_common.widgets.convert_to_fed_event.ConvertToFedEvent",
	"nvflare.app_common.widgets.event_recorder.ClientEventRecorder",
	"nvflare.app_common.widgets.event_recorder.ServerEventRecorder",
	"nvflare.app_common.widgets.intime_model_selector.IntimeModelSelector",
	"nvflare.app_common.widgets.validation_json_generator.ValidationJsonGenerator",
	"nvflare.app_common.workflows.cross_site_model_eval.CrossSiteModelEval",
	"nvflare.app_common.workflows.cyclic_ctl.CyclicController",
	"nvflare.app_common.workflows.fedavg.FedAvg",
	"nvflare.app_common.workflows.global_model_eval.GlobalModelEval",
	"nvflare.app_common.workflows.initialize_global_weights.InitializeGlobalWeights",
	"nvflare.app_common.workflows.lr.fedavg.FedAvgLR",
	"nvflare.app_common.workflows.lr.np_persistor.LRModelPersistor",
	"nvflare.app_common.workflows.scaffold.Scaffold",
	"nvflare.app_common.workflows.scatter_and_gather.ScatterAndGather",
	"nvflare.app_common.workflows.statistics_controller.StatisticsController",
	"nvflare.app_opt.he.intime_accumulate_model_aggregator.HEInTimeAccumulateWeightedAggregator",
	"nvflare.app_opt.he.model_decryptor.HEModelDecryptor",
	"nvflare.app_opt.he.model_encryptor.HEModelEncryptor",
	"nvflare.app_opt.he.model_serialize_filter.HEModelSerializeFilter",
	"nvflare.app_opt.he.model_shareable_generator.HEModelShareableGenerator",
	"nvflare.app_opt.psi.dh_psi.dh_psi_task_handler.DhPSITaskHandler",
	"nvflare.app_opt.pt.fedopt.PTFedOptModelShareableGenerator",
	"nvflare.app_opt.pt.file_model_locator.PTFileModelLocator",
	"nvflare.app_opt.pt.recipes.fedeval.EvalController",
	"nvflare.app_opt.sklearn.kmeans_assembler.KMeansAssembler",
	"nvflare.app_opt.sklearn.svm_assembler.SVMAssembler",
	"nvflare.app_opt.tf.fedopt_ctl.FedOpt",
	"nvflare.app_opt.tf.file_model_locator.TFFileModelLocator",
	"nvflare.app_opt.tracking.mlflow.mlflow_receiver.MLflowReceiver",
	"nvflare.app_opt.tracking.mlflow.mlflow_writer.MLflowWriter",
	"nvflare.app_opt.tracking.tb.tb_receiver.TBAnalyticsReceiver",
	"nvflare.app_opt.tracking.tb.tb_writer.TBWriter",
	"nvflare.app_opt.tracking.wandb.wandb_receiver.WandBReceiver",
	"nvflare.app_opt.xgboost.histogram_based.controller.XGBFedController",
	"nvflare.app_opt.xgboost.histogram_based.executor.FedXGBHistogramExecutor",
	"nvflare.app_opt.xgboost.histogram_based_v2.csv_data_loader.CSVDataLoader",
	"nvflare.app_opt.xgboost.histogram_based_v2.fed_controller.XGBFedController",
	"nvflare.app_opt.xgboost.histogram_based_v2.fed_executor.FedXGBHistogramExecutor",
	"nvflare.app_opt.xgboost.tree_based.bagging_aggregator.XGBBaggingAggregator",
	"nvflare.app_opt.xgboost.tree_based.executor.FedXGBTreeExecutor",
	"nvflare.app_opt.xgboost.tree_based.model_persistor.XGBModelPersistor",
	"nvflare.app_opt.xgboost.tree_based.shareable_generator.XGBModelShareableGenerator",
};

/* lighter/templates/ of each release */
static const char *const templates_2_7[] = {
	"aws_template.yml", "azure_template.yml", "docker_launcher_template.yml",
	"edge_template.yml", "master_template.yml", NULL
};
static const char *const templates_2_8[] = {
	"aws_template.yml", "azure_template.yml", "edge_template.yml",
	"master_template.yml", NULL
};

static const ccp_nvf_release releases[] = {
	[CCP_NVF_2_7] = {
		.line = CCP_NVF_2_7,
		.name = "2.7",
		.reference = "2.7.2",
		.max_api_version = 3,
		.has_studies = 0,
		.has_class_allow_list = 0,
		.overseer_agent = 1,
		.signs_plain_kits = 1,
		.refuses_overseer = 1,
		.client_log_streaming = 0,
		.error_log_sender = 1,
		.log_receiver = "nvflare.app_common.logging.log_receiver.LogReceiver",
		.error_log_file = "log_error.txt",
		.templates = templates_2_7,
		.class_allow_list = NULL,
		.n_class_allow_list = 0,
	},
	[CCP_NVF_2_8] = {
		.line = CCP_NVF_2_8,
		.name = "2.8",
		.reference = "2.8.1",
		.max_api_version = 4,
		.has_studies = 1,
		.has_class_allow_list = 1,
		.overseer_agent = 0,
		.signs_plain_kits = 0,
		.refuses_overseer = 0,
		.client_log_streaming = 1,
		.error_log_sender = 0,
		.log_receiver = "nvflare.app_common.logging.job_log_receiver.JobLogReceiver",
		.error_log_file = "error_log.txt",
		.templates = templates_2_8,
		.class_allow_list = allow_list_2_8,
		.n_class_allow_list = sizeof(allow_list_2_8) / sizeof(allow_list_2_8[0]),
	},
};

const ccp_nvf_release *ccp_nvf_release_of(ccp_nvf_line line)
{
	if ((size_t)line >= sizeof(releases) / sizeof(releases[0]))
		return &releases[CCP_NVF_DEFAULT];
	return &releases[line];
}

int ccp_nvf_line_parse(ccp_nvf_line *out, const char *s)
{
	size_t i, n;

	if (!s)
		return -1;
	for (i = 0; i < sizeof(releases) / sizeof(releases[0]); i++) {
		n = strlen(releases[i].name);
		/* "2.7" or "2.7.N" */
		if (strncmp(s, releases[i].name, n) == 0 &&
		    (s[n] == '\0' || (s[n] == '.' && s[n + 1] >= '0' &&
				      s[n + 1] <= '9' &&
				      s[n + 1 + strspn(s + n + 1, "0123456789")] == '\0'))) {
			*out = releases[i].line;
			return 0;
		}
	}
	return -1;
}

const char *ccp_nvf_line_names(void)
{
	return "2.7|2.8";
}

static const struct {
	const char *path;
	ccp_nvf_builder kind;
} builders[] = {
	{ "nvflare.lighter.impl.workspace.WorkspaceBuilder", CCP_NVF_B_WORKSPACE },
	{ "nvflare.lighter.impl.static_file.StaticFileBuilder", CCP_NVF_B_STATIC_FILE },
	{ "nvflare.lighter.impl.cert.CertBuilder", CCP_NVF_B_CERT },
	{ "nvflare.lighter.cc_provision.impl.cc.CCBuilder", CCP_NVF_B_CC },
	{ "nvflare.lighter.impl.signature.SignatureBuilder", CCP_NVF_B_SIGNATURE },
};

ccp_nvf_builder ccp_nvf_builder_kind(const char *path)
{
	size_t i;

	for (i = 0; path && i < sizeof(builders) / sizeof(builders[0]); i++)
		if (strcmp(path, builders[i].path) == 0)
			return builders[i].kind;
	return CCP_NVF_B_UNKNOWN;
}

const char *ccp_nvf_builder_path(ccp_nvf_builder kind)
{
	size_t i;

	for (i = 0; i < sizeof(builders) / sizeof(builders[0]); i++)
		if (builders[i].kind == kind)
			return builders[i].path;
	return NULL;
}

/* CCBuilder's sub-builders: the on-prem one (onprem_cvm, mock) moves
 * logs to /applog; the Azure one (azure_cvm, ACI) does not. Every CC
 * site goes through the OnPremPackager's build_image_cmd except mock,
 * which has no image to build. */
static const ccp_nvf_env envs[] = {
	{ "onprem_cvm", 1, 1, 1, 1 },
	{ "azure_cvm", 0, 1, 1, 1 },
	{ "azure_confidential_container", 0, 1, 1, 0 },
	{ "mock", 1, 0, 0, 0 },
};

const ccp_nvf_env *ccp_nvf_env_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(envs) / sizeof(envs[0]); i++)
		if (strcmp(name, envs[i].name) == 0)
			return &envs[i];
	return NULL;
}
