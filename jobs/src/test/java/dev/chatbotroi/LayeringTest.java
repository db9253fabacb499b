package dev.chatbotroi;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The layers read top-down: cli → erase → pipeline → the stage packages → common. A stage package
 * never uses a sibling, and nothing uses a layer above it: what two stages share lives in common.
 */
class LayeringTest {

  static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
      .importPackages("dev.chatbotroi");

  static ArchRule layers() {
    return layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("cli").definedBy("dev.chatbotroi.cli..")
        .layer("erase").definedBy("dev.chatbotroi.erase..")
        .layer("pipeline").definedBy("dev.chatbotroi.pipeline..")
        .layer("ingest").definedBy("dev.chatbotroi.ingest..")
        .layer("conversations").definedBy("dev.chatbotroi.conversations..")
        .layer("metrics").definedBy("dev.chatbotroi.metrics..")
        .layer("attribution").definedBy("dev.chatbotroi.attribution..")
        .layer("experiments").definedBy("dev.chatbotroi.experiments..")
        .layer("export").definedBy("dev.chatbotroi.export..")
        .layer("generate").definedBy("dev.chatbotroi.generate..")
        .layer("common").definedBy("dev.chatbotroi.common..")
        .whereLayer("cli").mayNotBeAccessedByAnyLayer()
        .whereLayer("erase").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("pipeline").mayOnlyBeAccessedByLayers("cli", "erase")
        .whereLayer("ingest").mayOnlyBeAccessedByLayers("cli", "erase", "pipeline")
        .whereLayer("conversations").mayOnlyBeAccessedByLayers("cli", "erase", "pipeline")
        .whereLayer("metrics").mayOnlyBeAccessedByLayers("cli", "erase", "pipeline")
        .whereLayer("attribution").mayOnlyBeAccessedByLayers("cli", "erase", "pipeline")
        .whereLayer("experiments").mayOnlyBeAccessedByLayers("cli", "erase", "pipeline")
        .whereLayer("export").mayOnlyBeAccessedByLayers("cli", "erase", "pipeline")
        .whereLayer("generate").mayOnlyBeAccessedByLayers("cli")
        .withOptionalLayers(true);
  }

  @Test
  void layersReadTopDown() {
    layers().check(MAIN);
  }
}
