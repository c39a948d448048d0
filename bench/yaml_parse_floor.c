/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The floor for any YAML linter: read each file and pull every event out
 * of libyaml's parser, doing nothing with them.
 *
 *   yaml_parse_floor FILE...
 *
 * Exits 1 when a file cannot be opened or does not parse.
 */
#include <stdio.h>
#include <yaml.h>

static int parse_file(const char *path)
{
	yaml_parser_t parser;
	yaml_event_t event;
	FILE *f = fopen(path, "rb");
	int done = 0, rc = 0;

	if (!f) {
		perror(path);
		return 1;
	}
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		fprintf(stderr, "%s: out of memory\n", path);
		return 1;
	}
	yaml_parser_set_input_file(&parser, f);
	while (!done) {
		if (!yaml_parser_parse(&parser, &event)) {
			fprintf(stderr, "%s: %s\n", path,
				parser.problem ? parser.problem : "parse error");
			rc = 1;
			break;
		}
		done = event.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	int i, rc = 0;

	for (i = 1; i < argc; i++)
		rc |= parse_file(argv[i]);
	return rc;
}
