/**
 * What a job runs on: the Spark session spark-submit configured, and the native ND4J threads each
 * task may use.
 */
package dev.fedlora.runtime;
