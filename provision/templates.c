/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fixed content of a startup kit: NVFlare's default JSON documents
 * (their keys and values are the interoperability contract, so they are
 * kept as data and parsed when a kit is written) and the scripts and
 * readme files, which are ccprov's own.
 */
#include "prov_int.h"

#include <stddef.h>
#include <string.h>

/*
 * JSON documents as NVFlare 2.8 ships them, compact. What differs per
 * release line is applied by ccp_prov_json_template() from the
 * catalogue (include/catalogue/ccprov/nvflare.h): the class allow-list, the log
 * receiver, the error log's file name and the client's log streaming.
 */
static const char tpl_log_config[] =
	"{\"version\":1,\"disable_existing_loggers\":false,\"formatters\":{\"baseFormatter\":{\"()\":\"nvflare.fuel.utils.log_utils.BaseFormatter\","
	"\"fmt\":\"%(asctime)s - %(name)s - %(levelname)s - %(fl_ctx)s - %(message)s\"},"
	"\"consoleFormatter\":{\"()\":\"nvflare.fuel.utils.log_utils.ColorFormatter\","
	"\"fmt\":\"%(asctime)s - %(name)s - %(levelname)s - %(fl_ctx)s - %(message)s\"},"
	"\"jsonFormatter\":{\"()\":\"nvflare.fuel.utils.log_utils.JsonFormatter\","
	"\"fmt\":\"%(asctime)s - %(name)s - %(fullName)s - %(levelname)s - %(fl_ctx)s - %(message)s\"}},"
	"\"filters\":{\"FLFilter\":{\"()\":\"nvflare.fuel.utils.log_utils.LoggerNameFilter\","
	"\"logger_names\":[\"custom\",\"nvflare.app_common\",\"nvflare.app_opt\"]}},"
	"\"handlers\":{\"consoleHandler\":{\"class\":\"logging.StreamHandler\","
	"\"level\":\"DEBUG\",\"formatter\":\"consoleFormatter\",\"filters\":[],\"stream\":\"ext://sys.stdout\"},"
	"\"logFileHandler\":{\"class\":\"logging.handlers.RotatingFileHandler\","
	"\"level\":\"DEBUG\",\"formatter\":\"baseFormatter\",\"filename\":\"log.txt\","
	"\"mode\":\"a\",\"maxBytes\":20971520,\"backupCount\":10},\"errorFileHandler\":{\"class\":\"logging.handlers.RotatingFileHandler\","
	"\"level\":\"ERROR\",\"formatter\":\"baseFormatter\",\"filename\":\"error_log.txt\","
	"\"mode\":\"a\",\"maxBytes\":20971520,\"backupCount\":10},\"jsonFileHandler\":{\"class\":\"logging.handlers.RotatingFileHandler\","
	"\"level\":\"DEBUG\",\"formatter\":\"jsonFormatter\",\"filename\":\"log.json\","
	"\"mode\":\"a\",\"maxBytes\":20971520,\"backupCount\":10},\"FLFileHandler\":{\"class\":\"logging.handlers.RotatingFileHandler\","
	"\"level\":\"DEBUG\",\"formatter\":\"baseFormatter\",\"filters\":[\"FLFilter\"],"
	"\"filename\":\"log_fl.txt\",\"mode\":\"a\",\"maxBytes\":20971520,\"backupCount\":10,"
	"\"delay\":true}},\"loggers\":{\"root\":{\"level\":\"INFO\",\"handlers\":[\"consoleHandler\","
	"\"logFileHandler\",\"errorFileHandler\",\"jsonFileHandler\",\"FLFileHandler\"]}}}";
static const char tpl_privacy[] =
	"{\"scopes\":[{\"name\":\"public\",\"properties\":{\"train_dataset\":\"/data/public/train\","
	"\"val_dataset\":\"/data/public/val\"},\"task_result_filters\":[{\"name\":\"AddNoiseToMinMax\","
	"\"args\":{\"min_noise_level\":0.2,\"max_noise_level\":0.2}},{\"name\":\"PercentilePrivacy\","
	"\"args\":{\"percentile\":10,\"gamma\":0.02}}],\"task_data_filters\":[{\"name\":\"BadModelDetector\"}]},"
	"{\"name\":\"private\",\"properties\":{\"train_dataset\":\"/data/private/train\","
	"\"val_dataset\":\"/data/private/val\"},\"task_result_filters\":[{\"name\":\"AddNoiseToMinMax\","
	"\"args\":{\"min_noise_level\":0.1,\"max_noise_level\":0.1}},{\"name\":\"SVTPrivacy\","
	"\"args\":{\"fraction\":0.1,\"epsilon\":0.2}}]}],\"default_scope\":\"public\"}";
static const char tpl_server_resources[] =
	"{\"format_version\":2,\"class_list_enforcement_mode\":\"enforce\",\"class_allow_list\":[],"
	"\"servers\":[{\"admin_storage\":\"transfer\",\"max_num_clients\":100,"
	"\"heart_beat_timeout\":600,\"download_job_url\":\"http://download.server.com/\","
	"\"admin_timeout\":10.0}],\"snapshot_persistor\":{\"path\":\"nvflare.app_common.state_persistors.storage_state_persistor.StorageStatePersistor\","
	"\"args\":{\"uri_root\":\"/\",\"storage\":{\"path\":\"nvflare.app_common.storages.filesystem_storage.FilesystemStorage\","
	"\"args\":{\"root_dir\":\"/tmp/nvflare/snapshot-storage\",\"uri_root\":\"/\"}}}},"
	"\"components\":[{\"id\":\"job_scheduler\",\"path\":\"nvflare.app_common.job_schedulers.job_scheduler.DefaultJobScheduler\","
	"\"args\":{\"max_jobs\":4}},{\"id\":\"job_manager\",\"path\":\"nvflare.apis.impl.job_def_manager.SimpleJobDefManager\","
	"\"args\":{\"uri_root\":\"/tmp/nvflare/jobs-storage\",\"job_store_id\":\"job_store\"}},"
	"{\"id\":\"job_store\",\"path\":\"nvflare.app_common.storages.filesystem_storage.FilesystemStorage\"},"
	"{\"id\":\"process_launcher\",\"path\":\"nvflare.app_common.job_launcher.server_process_launcher.ServerProcessJobLauncher\","
	"\"args\":{}},{\"id\":\"log_receiver\",\"path\":\"nvflare.app_common.logging.job_log_receiver.JobLogReceiver\","
	"\"args\":{}}]}";
static const char tpl_client_resources[] =
	"{\"format_version\":2,\"class_list_enforcement_mode\":\"enforce\",\"class_allow_list\":[],"
	"\"allow_log_streaming\":true,\"client\":{\"retry_timeout\":30,\"compression\":\"Gzip\"},"
	"\"components\":[{\"id\":\"resource_manager\",\"path\":\"nvflare.app_common.resource_managers.gpu_resource_manager.GPUResourceManager\","
	"\"args\":{\"num_of_gpus\":0,\"mem_per_gpu_in_GiB\":0,\"expiration_period\":300}},"
	"{\"id\":\"resource_consumer\",\"path\":\"nvflare.app_common.resource_consumers.gpu_resource_consumer.GPUResourceConsumer\","
	"\"args\":{}},{\"id\":\"process_launcher\",\"path\":\"nvflare.app_common.job_launcher.client_process_launcher.ClientProcessJobLauncher\","
	"\"args\":{}},{\"id\":\"site_log_streamer\",\"path\":\"nvflare.app_common.logging.site_log_streamer.SiteLogStreamer\","
	"\"args\":{\"log_file_name\":\"error_log.txt\"}}]}";
static const char tpl_admin_resources[] =
	"{\"format_version\":1,\"admin\":{\"idle_timeout\":900.0,\"login_timeout\":10.0,"
	"\"with_debug\":false,\"authenticate_msg_timeout\":2.0,\"prompt\":\"> \"}}";
static const char tpl_authz_default[] =
	"{\"format_version\":\"1.0\",\"permissions\":{\"project_admin\":\"any\","
	"\"org_admin\":{\"submit_job\":\"none\",\"clone_job\":\"none\",\"manage_job\":\"o:submitter\","
	"\"download_job\":\"o:submitter\",\"view\":\"any\",\"operate\":\"o:site\","
	"\"shell_commands\":\"o:site\",\"byoc\":\"none\"},"
	"\"lead\":{\"submit_job\":\"any\",\"clone_job\":\"n:submitter\",\"manage_job\":\"n:submitter\","
	"\"download_job\":\"n:submitter\",\"view\":\"any\",\"operate\":\"o:site\","
	"\"shell_commands\":\"o:site\",\"byoc\":\"any\"},"
	"\"member\":{\"view\":\"any\"}}}";
static const char tpl_authz_cc[] =
	"{\"format_version\":\"1.0\",\"permissions\":{\"project_admin\":\"any\","
	"\"org_admin\":{\"submit_job\":\"none\",\"clone_job\":\"none\",\"manage_job\":\"o:submitter\","
	"\"download_job\":\"none\",\"view\":\"any\",\"operate\":\"none\",\"shell_commands\":\"none\","
	"\"byoc\":\"none\"},\"lead\":{\"submit_job\":\"any\","
	"\"clone_job\":\"n:submitter\",\"manage_job\":\"n:submitter\",\"download_job\":\"none\","
	"\"view\":\"any\",\"operate\":\"none\",\"shell_commands\":\"none\",\"byoc\":\"none\"},"
	"\"member\":{\"view\":\"any\"}}}";

static const char *const tpl_json_text[] = {
	[CCP_TPL_LOG_CONFIG] = tpl_log_config,
	[CCP_TPL_PRIVACY] = tpl_privacy,
	[CCP_TPL_SERVER_RESOURCES] = tpl_server_resources,
	[CCP_TPL_CLIENT_RESOURCES] = tpl_client_resources,
	[CCP_TPL_ADMIN_RESOURCES] = tpl_admin_resources,
	[CCP_TPL_AUTHZ_DEFAULT] = tpl_authz_default,
	[CCP_TPL_AUTHZ_CC] = tpl_authz_cc,
};

/* ---- scripts and readme files (ccprov's own wording) ---- */

static const char sh_workspace[] =
	"STARTUP_DIR=$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" >/dev/null 2>&1 && pwd)\n"
	"KIT_DIR=$(cd \"$STARTUP_DIR/..\" >/dev/null 2>&1 && pwd)\n"
	"\n"
	"# The kit folder is read-only inside a confidential VM (mounted at\n"
	"# /user_config or below it), so runtime files go to /vault/workspace\n"
	"# there. NVFL_WORKSPACE overrides every other choice.\n"
	"if [ -n \"${NVFL_WORKSPACE:-}\" ]; then\n"
	"\tWORKSPACE=$NVFL_WORKSPACE\n"
	"elif [ \"$KIT_DIR\" = /user_config ]; then\n"
	"\tWORKSPACE=/vault/workspace\n"
	"elif [ \"${KIT_DIR#/user_config/}\" != \"$KIT_DIR\" ]; then\n"
	"\tWORKSPACE=/vault/workspace/$(basename \"$KIT_DIR\")\n"
	"else\n"
	"\tWORKSPACE=$KIT_DIR\n"
	"fi\n";

static const char sh_sub_start_body[] =
	"\n"
	"PID_FILE=$WORKSPACE/pid.fl\n"
	"DAEMON_PID_FILE=$WORKSPACE/daemon_pid.fl\n"
	"SHUTDOWN_FILE=$WORKSPACE/shutdown.fl\n"
	"RESTART_FILE=$WORKSPACE/restart.fl\n"
	"MAX_RESTARTS=5\n"
	"RESTART_WINDOW=300\n"
	"\n"
	"VERIFY=0\n"
	"for arg in \"$@\"; do\n"
	"\tcase $arg in\n"
	"\t--verify) VERIFY=1 ;;\n"
	"\t*) echo \"sub_start.sh: ignoring unknown option '$arg'\" >&2 ;;\n"
	"\tesac\n"
	"done\n"
	"\n"
	"if [ \"$VERIFY\" = 1 ]; then\n"
	"\t# Refuse to run a kit whose files do not match the signatures made\n"
	"\t# by the project's root CA.\n"
	"\tif ! python3 -m nvflare.tool.verify_startup_kits -f \"$KIT_DIR\" \\\n"
	"\t\t-c \"$KIT_DIR/startup/rootCA.pem\"; then\n"
	"\t\techo \"sub_start.sh: startup kit verification failed; not starting\" >&2\n"
	"\t\texit 1\n"
	"\tfi\n"
	"fi\n"
	"\n"
	"mkdir -p \"$WORKSPACE\" || exit 1\n"
	"if [ \"$WORKSPACE\" != \"$KIT_DIR\" ] && [ ! -d \"$WORKSPACE/startup\" ]; then\n"
	"\t# The runtime reads startup/ and local/ from its workspace.\n"
	"\tcp -R \"$KIT_DIR/.\" \"$WORKSPACE/\" || exit 1\n"
	"fi\n"
	"mkdir -p \"$WORKSPACE/transfer\"\n"
	"echo \"workspace: $WORKSPACE\"\n"
	"\n"
	"if [ -f \"$DAEMON_PID_FILE\" ]; then\n"
	"\tother=$(cat \"$DAEMON_PID_FILE\" 2>/dev/null)\n"
	"\tif [ -n \"$other\" ] && kill -0 \"$other\" 2>/dev/null; then\n"
	"\t\techo \"sub_start.sh: a supervisor (pid $other) already runs for $WORKSPACE;\" \\\n"
	"\t\t\t\"remove $DAEMON_PID_FILE if that process is not one\" >&2\n"
	"\t\texit 1\n"
	"\tfi\n"
	"\trm -f \"$DAEMON_PID_FILE\"\n"
	"fi\n"
	"echo $$ >\"$DAEMON_PID_FILE\"\n"
	"\n"
	"clear_flags() {\n"
	"\trm -f \"$PID_FILE\" \"$SHUTDOWN_FILE\" \"$RESTART_FILE\" \"$DAEMON_PID_FILE\"\n"
	"}\n"
	"\n"
	"launch() {\n"
	"\tpython3 -u -m \"$TRAIN_MODULE\" -m \"$WORKSPACE\" -s \"$FED_CONFIG\" \\\n"
	"\t\t--set secure_train=true ${SITE_UID:+\"$SITE_UID\"} \"org=$SITE_ORG\" \\\n"
	"\t\t\"config_folder=$CONFIG_FOLDER\" 2>&1 &\n"
	"\techo $! >\"$PID_FILE\"\n"
	"\techo \"started $TRAIN_MODULE as pid $!\"\n"
	"}\n"
	"\n"
	"# Ask the process to go, then insist after a grace period.\n"
	"halt() {\n"
	"\tpid=$1\n"
	"\t[ -n \"$pid\" ] || return 0\n"
	"\tfor _ in 1 2 3 4 5 6 7 8 9 10; do\n"
	"\t\tkill -0 \"$pid\" 2>/dev/null || break\n"
	"\t\tsleep 1\n"
	"\tdone\n"
	"\tkill -0 \"$pid\" 2>/dev/null && kill -9 \"$pid\" 2>/dev/null\n"
	"\trm -f \"$PID_FILE\"\n"
	"}\n"
	"\n"
	"# Restart, unless the process keeps dying: more than MAX_RESTARTS\n"
	"# restarts within RESTART_WINDOW seconds means something is broken.\n"
	"restarts=()\n"
	"relaunch() {\n"
	"\trecent=()\n"
	"\tfor t in \"${restarts[@]}\"; do\n"
	"\t\t[ $((SECONDS - t)) -lt $RESTART_WINDOW ] && recent+=(\"$t\")\n"
	"\tdone\n"
	"\trecent+=(\"$SECONDS\")\n"
	"\trestarts=(\"${recent[@]}\")\n"
	"\tif [ ${#restarts[@]} -gt $MAX_RESTARTS ]; then\n"
	"\t\techo \"sub_start.sh: $TRAIN_MODULE exited ${#restarts[@]} times\" \\\n"
	"\t\t\t\"within $RESTART_WINDOW seconds; giving up\" >&2\n"
	"\t\tclear_flags\n"
	"\t\texit 1\n"
	"\tfi\n"
	"\tlaunch\n"
	"}\n"
	"\n"
	"rm -f \"$SHUTDOWN_FILE\" \"$RESTART_FILE\"\n"
	"launch\n"
	"while :; do\n"
	"\tsleep 5\n"
	"\tpid=$(cat \"$PID_FILE\" 2>/dev/null)\n"
	"\tif [ -f \"$SHUTDOWN_FILE\" ]; then\n"
	"\t\techo \"shutdown requested\"\n"
	"\t\thalt \"$pid\"\n"
	"\t\tbreak\n"
	"\tfi\n"
	"\tif [ -n \"$pid\" ] && kill -0 \"$pid\" 2>/dev/null; then\n"
	"\t\tif [ -f \"$RESTART_FILE\" ]; then\n"
	"\t\t\techo \"restart requested\"\n"
	"\t\t\trm -f \"$RESTART_FILE\"\n"
	"\t\t\thalt \"$pid\"\n"
	"\t\t\trelaunch\n"
	"\t\tfi\n"
	"\t\tcontinue\n"
	"\tfi\n"
	"\techo \"$TRAIN_MODULE (pid ${pid:-none}) is not running; restarting\"\n"
	"\trelaunch\n"
	"done\n"
	"clear_flags\n";

static const char sh_stop_fl_body[] =
	"\n"
	"echo \"The proper way to stop this site is the admin console (e.g. 'shutdown client').\"\n"
	"echo \"This script only asks the local supervisor to stop; the server will not know\"\n"
	"echo \"that the site left until its heartbeat times out.\"\n"
	"if [ -t 0 ]; then\n"
	"\tprintf 'Stop anyway? [y/N] '\n"
	"\tread -r answer\n"
	"\tcase $answer in\n"
	"\ty | Y | yes) ;;\n"
	"\t*)\n"
	"\t\techo \"nothing done\"\n"
	"\t\texit 0\n"
	"\t\t;;\n"
	"\tesac\n"
	"fi\n"
	"touch \"$WORKSPACE/shutdown.fl\" && echo \"shutdown requested: $WORKSPACE/shutdown.fl\"\n";

static const char sh_start[] =
	"#!/usr/bin/env bash\n"
	"# Start this site: run its supervisor, sub_start.sh, in the background\n"
	"# and return. Options (such as --verify) are handed on to it.\n"
	"STARTUP_DIR=$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" >/dev/null 2>&1 && pwd)\n"
	"\"$STARTUP_DIR/sub_start.sh\" \"$@\" &\n";

static const char sh_fl_admin[] =
	"#!/usr/bin/env bash\n"
	"# Open the NVFlare admin console with this kit's identity.\n"
	"STARTUP_DIR=$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" >/dev/null 2>&1 && pwd)\n"
	"exec python3 -m nvflare.fuel.hci.tools.admin -m \"$STARTUP_DIR/..\" \\\n"
	"\t-s fed_admin.json \"$@\"\n";

static const char readme_server[] =
	"NVFlare server startup kit\n"
	"==========================\n"
	"\n"
	"startup/   identity and connection settings of this server:\n"
	"           fed_server.json, server.crt, server.key (keep it secret),\n"
	"           rootCA.pem, and the scripts start.sh, sub_start.sh, stop_fl.sh\n"
	"local/     site-local defaults: resources, logging, authorization and a\n"
	"           privacy sample; copy a *.default file without the suffix to\n"
	"           change it (confidential kits are signed and cannot be edited)\n"
	"transfer/  exchange folder used by the admin commands\n"
	"\n"
	"Run startup/start.sh to start the server in the background. Stop it\n"
	"from the admin console; startup/stop_fl.sh is a last resort.\n";

static const char readme_client[] =
	"NVFlare client startup kit\n"
	"==========================\n"
	"\n"
	"startup/   identity and connection settings of this site:\n"
	"           fed_client.json, client.crt, client.key (keep it secret),\n"
	"           rootCA.pem, and the scripts start.sh, sub_start.sh, stop_fl.sh\n"
	"local/     site-local defaults: resources, logging, authorization and a\n"
	"           privacy sample; copy a *.default file without the suffix to\n"
	"           change it (confidential kits are signed and cannot be edited)\n"
	"transfer/  exchange folder used by the admin commands\n"
	"\n"
	"Run startup/start.sh to connect this site to the server. Stop it from\n"
	"the admin console; startup/stop_fl.sh is a last resort.\n";

static const char readme_admin[] =
	"NVFlare admin console kit\n"
	"=========================\n"
	"\n"
	"fl_admin.sh opens the admin console for the user this kit was made for,\n"
	"using fed_admin.json, client.crt, client.key (keep it secret) and\n"
	"rootCA.pem from this folder. Files uploaded or downloaded by the console\n"
	"go to ../transfer. Console defaults such as timeouts are in\n"
	"../local/resources.json.default.\n";

static const char *const text_docs[] = {
	[CCP_TXT_START_SH] = sh_start,
	[CCP_TXT_FL_ADMIN_SH] = sh_fl_admin,
	[CCP_TXT_README_SERVER] = readme_server,
	[CCP_TXT_README_CLIENT] = readme_client,
	[CCP_TXT_README_ADMIN] = readme_admin,
};

const char *ccp_prov_text(ccp_prov_text_id id)
{
	return text_docs[id];
}

/* obj without the named keys (values moved, obj consumed). */
static ccp_json *without_keys(ccp_json *obj, const char *const *keys)
{
	ccp_json *out = ccp_json_new(CCP_JSON_OBJECT);
	size_t i, k;

	for (i = 0; out && i < obj->count; i++) {
		for (k = 0; keys[k] && strcmp(keys[k], obj->keys[i]) != 0; k++)
			;
		if (keys[k])
			continue;
		if (ccp_json_set(out, obj->keys[i], obj->items[i]) < 0) {
			obj->items[i] = NULL;
			ccp_json_free(out);
			out = NULL;
			break;
		}
		obj->items[i] = NULL;
	}
	ccp_json_free(obj);
	return out;
}

static ccp_json *component(ccp_json *doc, const char *id)
{
	const ccp_json *comps = ccp_json_get(doc, "components");
	size_t i;

	for (i = 0; comps && comps->type == CCP_JSON_ARRAY && i < comps->count; i++)
		if (ccp_json_str(ccp_json_get(comps->items[i], "id")) &&
		    strcmp(ccp_json_str(ccp_json_get(comps->items[i], "id")), id) == 0)
			return comps->items[i];
	return NULL;
}

/* The error log file's name, which changed between lines. */
static int set_error_log(ccp_json *doc, const ccp_nvf_release *rel)
{
	ccp_json *c = (ccp_json *)ccp_json_get(ccp_json_get(doc, "handlers"),
					       "errorFileHandler");

	if (c && ccp_json_set(c, "filename",
			      ccp_json_new_string(rel->error_log_file)) < 0)
		return -1;
	return 0;
}

/* Where the server's log receiver sits in the line. */
static int set_log_receiver(ccp_json *doc, const ccp_nvf_release *rel)
{
	ccp_json *c = component(doc, "log_receiver");

	if (c && ccp_json_set(c, "path", ccp_json_new_string(rel->log_receiver)) < 0)
		return -1;
	return 0;
}

/* The line's class allow list, or none of its keys for a line without
 * one (nor log streaming for a client before 2.8). NULL when out of
 * memory with doc freed; *failed set on a partial failure. */
static ccp_json *apply_allow_list(ccp_json *doc, ccp_prov_tpl id,
				  const ccp_nvf_release *rel, int *failed)
{
	static const char *const allow_keys[] = {
		"class_list_enforcement_mode", "class_allow_list", NULL
	};
	static const char *const streaming_keys[] = {
		"class_list_enforcement_mode", "class_allow_list",
		"allow_log_streaming", NULL
	};
	ccp_json *list;
	size_t i;

	if (!rel->has_class_allow_list)
		return without_keys(doc, id == CCP_TPL_CLIENT_RESOURCES &&
				    !rel->client_log_streaming ?
				    streaming_keys : allow_keys);
	list = ccp_json_new(CCP_JSON_ARRAY);
	for (i = 0; list && i < rel->n_class_allow_list; i++)
		if (ccp_json_append(list, ccp_json_new_string(
				rel->class_allow_list[i])) < 0)
			*failed = 1;
	if (!list || ccp_json_set(doc, "class_allow_list", list) < 0)
		*failed = 1;
	return doc;
}

/* No site log streamer and no resource expiry before 2.8. */
static int trim_client_resources(ccp_json *doc)
{
	static const char *const expiry[] = { "expiration_period", NULL };
	ccp_json *comps = (ccp_json *)ccp_json_get(doc, "components");
	ccp_json *rm = component(doc, "resource_manager");
	ccp_json *args = rm ? (ccp_json *)ccp_json_get(rm, "args") : NULL;
	size_t i;
	int rc = 0;

	if (args) {
		ccp_json *trimmed = ccp_json_clone(args);

		trimmed = trimmed ? without_keys(trimmed, expiry) : NULL;
		if (!trimmed || ccp_json_set(rm, "args", trimmed) < 0)
			rc = -1;
	}
	for (i = 0; comps && comps->type == CCP_JSON_ARRAY && i < comps->count; i++)
		if (comps->items[i] == component(doc, "site_log_streamer")) {
			ccp_json_free(comps->items[i]);
			memmove(&comps->items[i], &comps->items[i + 1],
				(comps->count - i - 1) * sizeof(*comps->items));
			comps->count--;
			break;
		}
	return rc;
}

/* The line's own values in the 2.8-shaped documents above. */
static ccp_json *apply_line(ccp_json *doc, ccp_prov_tpl id,
			    const ccp_nvf_release *rel)
{
	int failed = 0;

	switch (id) {
	case CCP_TPL_LOG_CONFIG:
		failed = set_error_log(doc, rel) < 0;
		break;
	case CCP_TPL_SERVER_RESOURCES:
		failed = set_log_receiver(doc, rel) < 0;
		/* fall through */
	case CCP_TPL_CLIENT_RESOURCES:
		doc = apply_allow_list(doc, id, rel, &failed);
		if (!doc)
			return NULL;
		break;
	default:
		break;
	}
	if (id == CCP_TPL_CLIENT_RESOURCES && !rel->client_log_streaming &&
	    trim_client_resources(doc) < 0)
		failed = 1;
	if (failed) {
		ccp_json_free(doc);
		return NULL;
	}
	return doc;
}

int ccp_prov_json_template(ccp_json **out, ccp_prov_tpl id,
			   const ccp_nvf_release *rel, ccp_error *err)
{
	char msg[256];
	ccp_json *doc = NULL;

	*out = NULL;
	if (ccp_json_parse(&doc, tpl_json_text[id], strlen(tpl_json_text[id]),
			   msg, sizeof(msg)) < 0)
		return ccp_error_set(err, CCP_EGENERIC,
				     "built-in template %d does not parse: %s",
				     (int)id, msg);
	doc = apply_line(doc, id, rel);
	if (!doc)
		return ccp_error_set(err, CCP_ENOMEM, "out of memory");
	*out = doc;
	return 0;
}

/* Single-quote s for the shell (names are validated, but orgs and
 * config folders come from the project file). */
static void shell_quote(ccp_buf *b, const char *s)
{
	ccp_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			ccp_buf_puts(b, "'\\''");
		else
			ccp_buf_putc(b, *s);
	}
	ccp_buf_putc(b, '\'');
}

static void assign(ccp_buf *b, const char *var, const char *value)
{
	ccp_buf_printf(b, "%s=", var);
	shell_quote(b, value);
	ccp_buf_putc(b, '\n');
}

void ccp_prov_sub_start(ccp_buf *b, const ccp_kit_participant *q,
			const char *config_folder)
{
	int server = q->type == CCP_PT_SERVER, relay = q->type == CCP_PT_RELAY;

	ccp_buf_puts(b, "#!/usr/bin/env bash\n"
		     "# Supervisor of this site's NVFlare process: starts it,\n"
		     "# restarts it when it dies, stops when shutdown.fl appears.\n"
		     "# Usage: sub_start.sh [--verify]   (--verify checks the kit's\n"
		     "# signatures first and refuses to start when they fail)\n\n");
	assign(b, "TRAIN_MODULE", server ?
	       "nvflare.private.fed.app.server.server_train" : relay ?
	       "nvflare.private.fed.app.relay.relay" :
	       "nvflare.private.fed.app.client.client_train");
	assign(b, "FED_CONFIG", server ? "fed_server.json" : relay ?
	       "fed_relay.json" : "fed_client.json");
	if (server) {
		ccp_buf_puts(b, "SITE_UID=''\n");
	} else {
		ccp_buf_puts(b, "SITE_UID=");
		{
			ccp_buf uid = CCP_BUF_INIT;

			ccp_buf_printf(&uid, "uid=%s", q->name);
			shell_quote(b, ccp_buf_cstr(&uid));
			ccp_buf_release(&uid);
		}
		ccp_buf_putc(b, '\n');
	}
	assign(b, "SITE_ORG", q->org ? q->org : "");
	assign(b, "CONFIG_FOLDER", config_folder ? config_folder : "");
	ccp_buf_putc(b, '\n');
	ccp_buf_puts(b, sh_workspace);
	ccp_buf_puts(b, sh_sub_start_body);
}

void ccp_prov_stop_fl(ccp_buf *b)
{
	ccp_buf_puts(b, "#!/usr/bin/env bash\n"
		     "# Last-resort stop: asks the local supervisor (sub_start.sh)\n"
		     "# to end the NVFlare process by creating shutdown.fl.\n\n");
	ccp_buf_puts(b, sh_workspace);
	ccp_buf_puts(b, sh_stop_fl_body);
}

/* The notebook's cells, one line of source each. */
static void nb_cell(ccp_buf *b, const char *type, const char *const *lines,
		    int last)
{
	size_t i;

	ccp_buf_printf(b, "  {\n   \"cell_type\": \"%s\",\n   \"metadata\": {},\n", type);
	if (strcmp(type, "code") == 0)
		ccp_buf_puts(b, "   \"execution_count\": null,\n   \"outputs\": [],\n");
	ccp_buf_puts(b, "   \"source\": [\n");
	for (i = 0; lines[i]; i++) {
		ccp_buf_puts(b, "    \"");
		ccp_json_escape(b, lines[i], strlen(lines[i]));
		ccp_buf_printf(b, "%s\"%s\n", lines[i + 1] ? "\\n" : "",
			       lines[i + 1] ? "," : "");
	}
	ccp_buf_printf(b, "   ]\n  }%s\n", last ? "" : ",");
}

void ccp_prov_system_info(ccp_buf *b, const char *admin)
{
	static const char *const intro[] = {
		"# System information",
		"",
		"Logs in with this admin kit and prints what the server and the",
		"connected sites report about themselves. Run it from the kit's",
		"`startup/` folder, with NVFlare installed in the kernel.",
		NULL
	};
	static const char *const info[] = {
		"print(session.get_system_info())",
		NULL
	};
	static const char *const done[] = {
		"session.close()",
		NULL
	};
	ccp_buf user = CCP_BUF_INIT;
	const char *login[4];

	ccp_buf_puts(&user, "session = new_secure_session(\"");
	ccp_json_escape(&user, admin, strlen(admin));
	ccp_buf_puts(&user, "\", os.path.abspath(\"..\"))");
	login[0] = "import os";
	login[1] = "from nvflare.fuel.flare_api.flare_api import new_secure_session";
	login[2] = ccp_buf_cstr(&user);
	login[3] = NULL;
	ccp_buf_puts(b, "{\n \"cells\": [\n");
	nb_cell(b, "markdown", intro, 0);
	nb_cell(b, "code", login, 0);
	nb_cell(b, "code", info, 0);
	nb_cell(b, "code", done, 1);
	ccp_buf_puts(b, " ],\n \"metadata\": {\n  \"kernelspec\": {\n"
		     "   \"display_name\": \"Python 3\",\n   \"language\": \"python\",\n"
		     "   \"name\": \"python3\"\n  }\n },\n"
		     " \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n");
	if (ccp_buf_failed(&user))
		b->failed = 1;
	ccp_buf_release(&user);
}
