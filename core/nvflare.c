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

/*
 * The builder and packager classes and their constructors' arguments,
 * as NVFlare 2.7.2 and 2.8.1 define them (lighter/impl/,
 * lighter/cc_provision/impl/). Both lines take the same arguments; an
 * argument only some line reads says which in its lines column.
 */
static const ccp_nvf_arg no_args[] = { { NULL, CCP_NVF_ARG_ANY, NULL, 0 } };
static const ccp_nvf_arg workspace_args[] = {
	{ "template_file", CCP_NVF_ARG_TEMPLATE,
	  "NVFlare loads its own templates; the argument is only kept for old project files",
	  CCP_NVF_ALL_LINES },
	{ NULL, CCP_NVF_ARG_ANY, NULL, 0 }
};
static const ccp_nvf_arg static_args[] = {
	{ "config_folder", CCP_NVF_ARG_STR, NULL, CCP_NVF_ALL_LINES },
	{ "scheme", CCP_NVF_ARG_SCHEME, NULL, CCP_NVF_ALL_LINES },
	{ "app_validator", CCP_NVF_ARG_STR, NULL, CCP_NVF_ALL_LINES },
	{ "download_job_url", CCP_NVF_ARG_STR, NULL, CCP_NVF_ALL_LINES },
	{ "docker_image", CCP_NVF_ARG_STR, NULL, CCP_NVF_ALL_LINES },
	/* NVFlare's main branch only: the released lines' **kwargs take
	 * it and the kits do not carry it */
	{ "require_signed_jobs", CCP_NVF_ARG_BOOL, NULL, 0 },
	{ "overseer_agent", CCP_NVF_ARG_ANY,
	  "NVFlare ignores it since the overseer was removed", CCP_NVF_ALL_LINES },
	{ NULL, CCP_NVF_ARG_ANY, NULL, 0 }
};
static const ccp_nvf_arg cert_args[] = {
	/* No released CertBuilder takes it (a TypeError); ccprov reads it
	 * as the lifetime of a new root CA */
	{ "root_valid_days", CCP_NVF_ARG_POS_INT, NULL, 0 },
	{ NULL, CCP_NVF_ARG_ANY, NULL, 0 }
};
static const ccp_nvf_arg cc_args[] = {
	{ "cc_mgr_id", CCP_NVF_ARG_FILE_NAME, NULL, CCP_NVF_ALL_LINES },
	{ NULL, CCP_NVF_ARG_ANY, NULL, 0 }
};
static const ccp_nvf_arg docker_args[] = {
	{ "base_image", CCP_NVF_ARG_STR, NULL, CCP_NVF_ALL_LINES },
	{ "requirements_file", CCP_NVF_ARG_STR, NULL, CCP_NVF_ALL_LINES },
	{ NULL, CCP_NVF_ARG_ANY, NULL, 0 }
};
static const ccp_nvf_arg he_args[] = {
	{ "poly_modulus_degree", CCP_NVF_ARG_POS_INT, NULL, CCP_NVF_ALL_LINES },
	{ "coeff_mod_bit_sizes", CCP_NVF_ARG_INT_LIST, NULL, CCP_NVF_ALL_LINES },
	{ "scale_bits", CCP_NVF_ARG_POS_INT, NULL, CCP_NVF_ALL_LINES },
	{ "scheme", CCP_NVF_ARG_STR, NULL, CCP_NVF_ALL_LINES },
	{ NULL, CCP_NVF_ARG_ANY, NULL, 0 }
};
static const ccp_nvf_arg onprem_args[] = {
	{ "build_image_cmd", CCP_NVF_ARG_NAME, NULL, CCP_NVF_ALL_LINES },
	{ "cc_config_key", CCP_NVF_ARG_NAME, NULL, CCP_NVF_ALL_LINES },
	{ NULL, CCP_NVF_ARG_ANY, NULL, 0 }
};

#define LIGHTER CCP_NVF_LIGHTER

/* In ccp_nvf_class_id order. */
static const ccp_nvf_class classes[] = {
	{ CCP_NVF_C_WORKSPACE, LIGHTER "impl.workspace.WorkspaceBuilder",
	  CCP_NVF_B_WORKSPACE, 0, 0, 0, workspace_args },
	{ CCP_NVF_C_STATIC, LIGHTER "impl.static_file.StaticFileBuilder",
	  CCP_NVF_B_STATIC_FILE, 0, 1, 0, static_args },
	{ CCP_NVF_C_CERT, LIGHTER "impl.cert.CertBuilder",
	  CCP_NVF_B_CERT, 0, 0, 0, cert_args },
	{ CCP_NVF_C_CC, LIGHTER "cc_provision.impl.cc.CCBuilder",
	  CCP_NVF_B_CC, 0, 0, 0, cc_args },
	{ CCP_NVF_C_SIGNATURE, LIGHTER "impl.signature.SignatureBuilder",
	  CCP_NVF_B_SIGNATURE, 0, 0, 0, no_args },
	{ CCP_NVF_C_DOCKER, LIGHTER "impl.docker.DockerBuilder",
	  CCP_NVF_B_UNKNOWN, 0, 0, 0, docker_args },
	{ CCP_NVF_C_HE, LIGHTER "impl.he.HEBuilder",
	  CCP_NVF_B_UNKNOWN, 0, 0, 0, he_args },
	{ CCP_NVF_C_EDGE, LIGHTER "impl.edge.EdgeBuilder",
	  CCP_NVF_B_UNKNOWN, 0, 0, 0, no_args },
	{ CCP_NVF_C_AWS, LIGHTER "impl.aws.AWSBuilder",
	  CCP_NVF_B_UNKNOWN, 0, 0, 0, no_args },
	{ CCP_NVF_C_AZURE, LIGHTER "impl.azure.AzureBuilder",
	  CCP_NVF_B_UNKNOWN, 0, 0, 0, no_args },
	{ CCP_NVF_C_TEMPLATE, LIGHTER "impl.template.TemplateBuilder",
	  CCP_NVF_B_UNKNOWN, 0, 0, 1, no_args },
	{ CCP_NVF_C_ONPREM, CCP_NVF_ONPREM_PACKAGER,
	  CCP_NVF_B_UNKNOWN, 1, 0, 0, onprem_args },
};

_Static_assert(sizeof(classes) / sizeof(classes[0]) == CCP_NVF_C_COUNT,
	       "one class row per ccp_nvf_class_id");

const ccp_nvf_class *ccp_nvf_class_of(ccp_nvf_class_id id)
{
	if ((size_t)id >= sizeof(classes) / sizeof(classes[0]))
		return NULL;
	return &classes[id];
}

const ccp_nvf_class *ccp_nvf_class_find(const char *path, int packager)
{
	size_t i;

	for (i = 0; path && i < sizeof(classes) / sizeof(classes[0]); i++)
		if (classes[i].packager == packager &&
		    strcmp(path, classes[i].path) == 0)
			return &classes[i];
	return NULL;
}

const ccp_nvf_arg *ccp_nvf_class_arg(const ccp_nvf_class *c, const char *name)
{
	const ccp_nvf_arg *a;

	for (a = c && name ? c->args : no_args; a->name; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}

static const ccp_nvf_class *builder_class(ccp_nvf_builder kind)
{
	size_t i;

	for (i = 0; kind != CCP_NVF_B_UNKNOWN &&
		    i < sizeof(classes) / sizeof(classes[0]); i++)
		if (classes[i].builder == kind)
			return &classes[i];
	return NULL;
}

const ccp_nvf_arg *ccp_nvf_builder_args(ccp_nvf_builder kind)
{
	const ccp_nvf_class *c = builder_class(kind);

	return c ? c->args : NULL;
}

const ccp_nvf_arg *ccp_nvf_builder_arg(ccp_nvf_builder kind, const char *name)
{
	return ccp_nvf_class_arg(builder_class(kind), name);
}

int ccp_nvf_arg_read(const ccp_nvf_arg *a, ccp_nvf_line line)
{
	return a && (a->lines & CCP_NVF_LINE_BIT(line)) != 0;
}

ccp_nvf_builder ccp_nvf_builder_kind(const char *path)
{
	const ccp_nvf_class *c = ccp_nvf_class_find(path, 0);

	return c ? c->builder : CCP_NVF_B_UNKNOWN;
}

const char *ccp_nvf_builder_path(ccp_nvf_builder kind)
{
	const ccp_nvf_class *c = builder_class(kind);

	return c ? c->path : NULL;
}

/*
 * The CC authorizers (cc_issuers) and their constructors' keyword
 * arguments, the same in 2.7.2 and 2.8.1
 * (app_opt/confidential_computing/), with the cc_config setting each
 * one attests.
 */
static const char *const snp_args[] = {
	"max_nonce_history", "amd_certs_dir", "snpguest_binary", "cpu_model",
	"max_retries", "retry_interval", "cmd_timeout", NULL
};
static const char *const tdx_args[] = { "tdx_cli_command", "config_dir", NULL };
static const char *const gpu_args[] = {
	"verifier_url", "policy_file", "max_nonce_history", NULL
};
static const char *const azcvm_args[] = { "attester_binary", "maa_endpoint", NULL };
static const char *const aci_args[] = {
	"maa_endpoint", "retry_count", "retry_sleep", NULL
};
static const char *const no_names[] = { NULL };

#define CC_PKG CCP_NVF_CC_PKG

static const ccp_nvf_issuer issuers[] = {
	{ CC_PKG "snp_authorizer.SNPAuthorizer", "cc_cpu_mechanism", "amd_sev_snp",
	  snp_args, no_names },
	{ CC_PKG "tdx_authorizer.TDXAuthorizer", "cc_cpu_mechanism", "intel_tdx",
	  tdx_args, tdx_args },
	{ CC_PKG "gpu_authorizer.GPUAuthorizer", "cc_gpu_mechanism", "nvidia_cc",
	  gpu_args, no_names },
	{ CC_PKG "az_cvm_authorizer.AZCVMAuthorizer", "compute_env", "azure_cvm",
	  azcvm_args, no_names },
	{ CC_PKG "aci_authorizer.ACIAuthorizer", "compute_env",
	  "azure_confidential_container", aci_args, no_names },
	{ CC_PKG "mock_authorizer.MockAuthorizer", "compute_env", "mock",
	  no_names, no_names },
};

_Static_assert(sizeof(issuers) / sizeof(issuers[0]) <= CCP_NVF_ISSUERS_MAX,
	       "CCP_NVF_ISSUERS_MAX bounds the authorizer table");

const ccp_nvf_issuer *ccp_nvf_issuer_find(const char *path)
{
	size_t i;

	for (i = 0; path && i < sizeof(issuers) / sizeof(issuers[0]); i++)
		if (strcmp(issuers[i].path, path) == 0)
			return &issuers[i];
	return NULL;
}

const ccp_nvf_issuer *ccp_nvf_issuers(size_t *n)
{
	*n = sizeof(issuers) / sizeof(issuers[0]);
	return issuers;
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
