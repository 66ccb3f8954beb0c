package org.speechwb.engine.audio;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An audio file that cannot be decoded. Always names the file and a machine-readable
 * {@link Reason}, so that a dataset scan can skip the file and report why.
 */
public final class AudioFileException extends IOException {

    /** Why a file was rejected. */
    public enum Reason {
        /** Missing, a directory, or not readable by this process. */
        UNREADABLE,
        /** Not a container we know (no RIFF/WAVE or fLaC signature). */
        NOT_AUDIO,
        /** A known container with an encoding we do not decode (e.g. ADPCM, mu-law in WAV). */
        UNSUPPORTED_ENCODING,
        /** The header is inconsistent or claims impossible values. */
        CORRUPT_HEADER,
        /** The data ends before the header says it should, or is cut mid-frame. */
        TRUNCATED,
        /** A valid header with no audio samples, or a file of 0 bytes. */
        EMPTY
    }

    private final Path file;
    private final Reason reason;

    public AudioFileException(Path file, Reason reason, String detail) {
        this(file, reason, detail, null);
    }

    public AudioFileException(Path file, Reason reason, String detail, Throwable cause) {
        super(file + ": " + describe(reason) + (detail == null || detail.isBlank() ? "" : " (" + detail + ")"), cause);
        this.file = file;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    public Reason reason() {
        return reason;
    }

    private static String describe(Reason reason) {
        return switch (reason) {
            case UNREADABLE -> "cannot read file";
            case NOT_AUDIO -> "not an audio file we can read (expected WAV or FLAC)";
            case UNSUPPORTED_ENCODING -> "unsupported audio encoding";
            case CORRUPT_HEADER -> "corrupt header";
            case TRUNCATED -> "file is truncated";
            case EMPTY -> "no audio samples";
        };
    }
}
