package org.speechwb.engine.data;

import java.io.IOException;
import java.nio.file.Path;

/** One on-disk layout. Readers list candidates; {@link ScanContext} probes them. */
interface DatasetReader {

    DatasetFormat format();

    /**
     * @param path the folder or file that {@link DatasetLoader#detect(Path)} accepted for this format
     */
    Dataset read(Path path, ScanContext context) throws IOException;
}
