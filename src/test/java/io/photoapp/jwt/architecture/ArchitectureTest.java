package io.photoapp.jwt.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package structure: packages by role, no two of which need each other, and a CLI that reads status without the reconciler. */
class ArchitectureTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMain() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.photoapp.jwt");
  }

  @Test
  void noPackageImportsOneThatImportsItBack() {
    slices().matching("io.photoapp.jwt.(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  void theCliReadsConditionsWithoutTheReconciler() {
    noClasses().that().resideInAPackage("io.photoapp.jwt.cli..")
        .should().dependOnClassesThat().resideInAPackage("io.photoapp.jwt.reconciler..")
        .check(main);
  }

  @Test
  void onlyTheCompositionRootBuildsTheOperator() {
    noClasses().that().resideOutsideOfPackages("io.photoapp.jwt.runtime..", "io.photoapp.jwt.cli..")
        .should().dependOnClassesThat().resideInAPackage("io.photoapp.jwt.runtime..")
        .check(main);
  }
}
