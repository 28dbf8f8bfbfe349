/** Pave config module. */
package dev.pave.config;
