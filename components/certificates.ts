/**
 * A managed ACM certificate for one ALB group in one region: requested for the group's hosts, validated
 * by DNS through the stack's shared validation records (components/dns.ts), and handed on only once
 * ACM issued it. Usable by anything that terminates TLS on the region's load balancers (the Ingress
 * annotation here; a Gateway's listener configuration likewise): hosts in, validated ARN out.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { COMMON_NAME_MAX } from "../facts/acm-route53";
import { certificateNames } from "../stacks/dns-names";
import type { Dns } from "./dns";

export interface ManagedCertificateArgs {
    /** The region's provider: ACM certificates are regional and an ALB takes only its own region's. */
    readonly provider: aws.Provider;
    /** Names on the certificate (at most the ACM quota, validated in stacks/dns-validate.ts). */
    readonly hosts: readonly string[];
    /** Where the validation records live. */
    readonly dns: Dns;
}

export interface ManagedCertificate {
    readonly certificate: aws.acm.Certificate;
    /**
     * The ARN, known only after validation succeeded (aws.acm.CertificateValidation waits for ISSUED,
     * 75 minutes by default; ACM itself gives up after 72 hours): whatever takes it (the Ingress's
     * certificate-arn annotation) waits for validation.
     */
    readonly certificateArn: pulumi.Output<string>;
}

/** Registers `<name>-cert` and `<name>-cert-validation` under `parent`, on the region's provider. */
export function managedCertificate(name: string, args: ManagedCertificateArgs, parent: pulumi.Resource): ManagedCertificate {
    const names = certificateNames(args.hosts, COMMON_NAME_MAX);
    if (!names) throw new Error(`${name}: no host of ${args.hosts.join(", ")} fits a certificate's common name (validation should have refused it)`);
    const certificate = new aws.acm.Certificate(`${name}-cert`, {
        domainName: names.domainName,
        subjectAlternativeNames: names.subjectAlternativeNames,
        validationMethod: "DNS",
    }, { parent, provider: args.provider });
    const validation = new aws.acm.CertificateValidation(`${name}-cert-validation`, {
        certificateArn: certificate.arn,
        validationRecordFqdns: args.dns.validationRecordFqdns(certificate, args.hosts),
    }, { parent, provider: args.provider });
    return { certificate, certificateArn: validation.certificateArn };
}
