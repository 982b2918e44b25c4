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

  /**
   * Every write is a create or a patch whose body the operator builds from the fields it changes
   * (a String): never a PUT, an edit or an object patch sent from a copy it read. The caches drop
   * kubectl's last-applied annotation from JwtSecrets and stores (api.ServerFields); a write of a
   * whole object from such a copy would delete it on the server and break {@code kubectl apply}.
   * The Lease (ops.LeaseRelease) and the demo's simulated workload controller are not read from
   * a cache.
   */
  @Test
  void noWriteSendsAWholeObjectItRead() {
    java.util.Set<String> whole = java.util.Set.of("update", "updateStatus", "replace", "replaceStatus", "edit",
        "editStatus", "accept", "createOrReplace", "createOr", "serverSideApply", "patchStatus");
    noClasses().that().resideOutsideOfPackage("io.photoapp.jwt.demo..")
        .and().doNotHaveFullyQualifiedName("io.photoapp.jwt.ops.LeaseRelease")
        .should().callMethodWhere(new com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaMethodCall>(
            "a fabric8 write of a whole object (update, edit, replace, patch of an object)") {
          @Override
          public boolean test(com.tngtech.archunit.core.domain.JavaMethodCall call) {
            var target = call.getTarget();
            if (!target.getOwner().getPackageName().startsWith("io.fabric8.kubernetes.client.dsl")) {
              return false;
            }
            var params = target.getRawParameterTypes();
            return whole.contains(target.getName()) || target.getName().equals("patch")
                && (params.isEmpty() || !params.get(params.size() - 1).isEquivalentTo(String.class));
          }
        })
        .check(main);
  }

  /**
   * The reconciler reads a JwtSecret's Secrets, ConfigMaps, workloads and stores through its own caches and indexes,
   * never through the SDK's secondary lookup: their event sources give the SDK a primary-to-secondary mapper that
   * answers nothing (reconciler.SecondarySource), in place of an index of a set per JwtSecret that nothing read. A
   * lookup through the SDK would find nothing: it needs a mapper of its own first.
   */
  @Test
  void noSecondaryIsLookedUpThroughTheSdk() {
    noClasses().should().callMethodWhere(new com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaMethodCall>(
            "the SDK's lookup of a primary's secondaries (getSecondaryResource, getSecondaryResources, ...AsStream)") {
          @Override
          public boolean test(com.tngtech.archunit.core.domain.JavaMethodCall call) {
            return call.getTarget().getOwner().getPackageName().startsWith("io.javaoperatorsdk")
                && call.getTarget().getName().startsWith("getSecondaryResource");
          }
        })
        .check(main);
  }

  @Test
  void onlyTheCompositionRootBuildsTheOperator() {
    noClasses().that().resideOutsideOfPackages("io.photoapp.jwt.runtime..", "io.photoapp.jwt.cli..")
        .should().dependOnClassesThat().resideInAPackage("io.photoapp.jwt.runtime..")
        .check(main);
  }
}
