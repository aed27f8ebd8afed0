/**
 * Experiment configuration: HOCON files with command-line overrides, read into immutable,
 * validated records; every error names the key, the value found and what was expected.
 */
package dev.fedlora.config;
